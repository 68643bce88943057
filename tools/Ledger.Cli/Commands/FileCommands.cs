using System.CommandLine;
using System.Text;
using Ledger.Core;
using Ledger.Crypto;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger hash</c>, <c>ledger sign</c>, <c>ledger verify-signature</c>: national crypto on files.</summary>
public static class FileCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var file = CliOptions.Positional("FILE", "the file to hash, - for stdin");
        var hash = new Command("hash", "SM3 of a file, in hex (equals openssl dgst -sm3)") { file };
        hash.SetAction(p => Hash(p.GetValue(file)!, context));
        yield return hash;

        var key = CliOptions.Required("--key", "KEYFILE", "the signer's key file");
        var input = CliOptions.Required("--in", "FILE", "the file to sign");
        var output = CliOptions.Required("--out", "SIG", "where to write the signature (DER)");
        var id = SignerIdOption();
        var passphrase = CliOptions.PassphraseEnv();
        var weak = CliOptions.AllowWeakKdf();
        var sign = new Command("sign", "SM2 signature (DER) over a file") { key, input, output, id, passphrase, weak };
        sign.SetAction(p =>
        {
            var message = ReadInput(p.GetValue(input)!);
            using var privateKey = KeyFile.Load(p.GetValue(key)!, context.Passphrase(p.GetValue(passphrase)), new KeyFileOptions { AllowWeakIterations = p.GetValue(weak) });
            File.WriteAllBytes(p.GetValue(output)!, privateKey.Sign(message, SignerId(p.GetValue(id))));
            return ExitCode.Ok;
        });
        yield return sign;

        var publicKey = CliOptions.Required("--pub", "PEM", "the signer's public key (PEM)");
        var signed = CliOptions.Required("--in", "FILE", "the signed file");
        var signature = CliOptions.Required("--sig", "SIG", "the signature (DER)");
        var verifyId = SignerIdOption();
        var verify = new Command("verify-signature", "check an SM2 signature over a file: exit 0 valid, 1 invalid") { publicKey, signed, signature, verifyId };
        verify.SetAction(p =>
        {
            var pub = Sm2PublicKey.FromPem(ReadText(p.GetValue(publicKey)!));
            var result = pub.VerifyDetailed(ReadInput(p.GetValue(signed)!), ReadInput(p.GetValue(signature)!), SignerId(p.GetValue(verifyId)));
            if (!result.IsValid) throw new NegativeAnswerException($"signature invalid: {result.Reason}");
            context.Out.WriteLine("signature valid");
            return ExitCode.Ok;
        });
        yield return verify;
    }

    private static int Hash(string path, CliContext context)
    {
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

    private static Option<string?> SignerIdOption() => CliOptions.Optional("--id", "USERID", "the SM2 signer ID (default 1234567812345678)");

    /// <summary>The SM2 signer ID (Z_A input): --id as UTF-8, or the GM/T 0009 default.</summary>
    private static byte[] SignerId(string? id)
    {
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
