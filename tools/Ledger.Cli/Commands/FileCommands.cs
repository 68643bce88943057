using System.Text;
using Ledger.Core;
using Ledger.Crypto;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger hash</c>, <c>ledger sign</c>, <c>ledger verify-signature</c>: national crypto on files.</summary>
public static class FileCommands
{
    public static int Hash(Arguments args, CliContext context)
    {
        var path = args.Positional("FILE");
        args.EnsureAllRead();
        Hash32 hash;
        if (path == "-")
        {
            using var stdin = Console.OpenStandardInput();
            hash = Sm3.Hash(stdin);
        }
        else
        {
            using var file = OpenInput(path);
            hash = Sm3.Hash(file);
        }
        context.Out.WriteLine(hash.ToHex());
        return ExitCode.Ok;
    }

    public static int Sign(Arguments args, CliContext context)
    {
        var keyPath = args.Required("key");
        var input = args.Required("in");
        var output = args.Required("out");
        var id = SignerId(args);
        var allowWeak = args.Flag("allow-weak-kdf");
        var passphrase = context.Passphrase(args);
        args.EnsureAllRead();
        var message = ReadInput(input);
        using var key = KeyFile.Load(keyPath, passphrase, new KeyFileOptions { AllowWeakIterations = allowWeak });
        File.WriteAllBytes(output, key.Sign(message, id));
        return ExitCode.Ok;
    }

    public static int VerifySignature(Arguments args, CliContext context)
    {
        var publicKeyPath = args.Required("pub");
        var input = args.Required("in");
        var signaturePath = args.Required("sig");
        var id = SignerId(args);
        args.EnsureAllRead();
        var publicKey = Sm2PublicKey.FromPem(ReadText(publicKeyPath));
        var result = publicKey.VerifyDetailed(ReadInput(input), ReadInput(signaturePath), id);
        if (!result.IsValid) throw new NegativeAnswerException($"signature invalid: {result.Reason}");
        context.Out.WriteLine("signature valid");
        return ExitCode.Ok;
    }

    /// <summary>The SM2 signer ID (Z_A input): --id as UTF-8, or the GM/T 0009 default.</summary>
    private static byte[] SignerId(Arguments args)
    {
        var id = args.Optional("id");
        if (id is null) return Sm2.DefaultSignerId.ToArray();
        var bytes = Encoding.UTF8.GetBytes(id);
        // Z_A stores the ID length in bits in two bytes.
        if (bytes.Length is 0 or > 8191) throw new UsageException("--id must be 1 to 8191 bytes");
        return bytes;
    }

    internal static FileStream OpenInput(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"no such file: {path}");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
    }

    internal static byte[] ReadInput(string path) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new UsageException($"no such file: {path}");

    internal static string ReadText(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new UsageException($"no such file: {path}");
}
