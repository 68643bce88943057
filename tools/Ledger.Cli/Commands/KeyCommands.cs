using System.CommandLine;
using Ledger.Crypto;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger key new</c> and <c>ledger key show</c>.</summary>
public static class KeyCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var output = CliOptions.Required("--out", "KEYFILE", "where to write the new key file (never overwritten)");
        var iterations = CliOptions.Int("--kdf-iterations", "N", KeyFileOptions.MinimumIterations, 1, KeyFileOptions.MaximumIterations,
            "PBKDF2-HMAC-SM3 iterations; fewer than the default only for tests and throw-away keys");
        var passphrase = CliOptions.PassphraseEnv(what: "the new key file's passphrase");
        var create = new Command("new", "a new SM2 key in an encrypted key file (SM4-GCM under PBKDF2-HMAC-SM3); prints the public key") { output, iterations, passphrase };
        create.SetAction(p =>
        {
            var path = p.GetValue(output)!;
            var rounds = p.GetValue(iterations);
            var secret = context.Passphrase(p.GetValue(passphrase), confirm: true);
            if (File.Exists(path)) throw new UsageException($"{path} exists; refusing to overwrite a key");
            // Fewer iterations than the floor only because the caller asked for exactly that (tests, throw-away keys).
            var options = new KeyFileOptions(rounds) { AllowWeakIterations = rounds < KeyFileOptions.MinimumIterations };
            using var key = Sm2PrivateKey.Generate();
            KeyFile.Save(path, key, secret, options);
            context.Out.WriteLine(key.PublicKey.ToPem().TrimEnd());
            return ExitCode.Ok;
        });

        var file = CliOptions.Positional("KEYFILE", "the key file");
        var pem = CliOptions.Flag("--pem", "print the public key as PEM (SubjectPublicKeyInfo)");
        var show = new Command("show", "the public key of a key file and its key id (no passphrase needed)") { file, pem };
        show.SetAction(p =>
        {
            var publicKey = KeyFile.ReadPublicKey(FileCommands.ReadInput(p.GetValue(file)!));
            if (p.GetValue(pem))
            {
                context.Out.WriteLine(publicKey.ToPem().TrimEnd());
            }
            else
            {
                context.Out.WriteLine($"public key: {Convert.ToHexStringLower(publicKey.ToBytes())}");
                context.Out.WriteLine($"key id:     {publicKey.Id.ToHex()}");
            }
            return ExitCode.Ok;
        });

        yield return new Command("key", "SM2 key files") { create, show };
    }
}
