using Ledger.Crypto;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger key new</c> and <c>ledger key show</c>.</summary>
public static class KeyCommands
{
    public static int New(Arguments args, CliContext context)
    {
        var output = args.Required("out");
        var iterations = args.Int("kdf-iterations", KeyFileOptions.MinimumIterations, 1, KeyFileOptions.MaximumIterations);
        var passphrase = context.Passphrase(args, confirm: true);
        args.EnsureAllRead();
        if (File.Exists(output)) throw new UsageException($"{output} exists; refusing to overwrite a key");
        // Fewer iterations than the floor only because the caller asked for exactly that (tests, throw-away keys).
        var options = new KeyFileOptions(iterations) { AllowWeakIterations = iterations < KeyFileOptions.MinimumIterations };
        using var key = Sm2PrivateKey.Generate();
        KeyFile.Save(output, key, passphrase, options);
        context.Out.WriteLine(key.PublicKey.ToPem().TrimEnd());
        return ExitCode.Ok;
    }

    public static int Show(Arguments args, CliContext context)
    {
        var path = args.Positional("KEYFILE");
        var pem = args.Flag("pem");
        args.EnsureAllRead();
        var publicKey = KeyFile.ReadPublicKey(FileCommands.ReadInput(path));
        if (pem)
        {
            context.Out.WriteLine(publicKey.ToPem().TrimEnd());
        }
        else
        {
            context.Out.WriteLine($"public key: {Convert.ToHexStringLower(publicKey.ToBytes())}");
            context.Out.WriteLine($"key id:     {publicKey.Id.ToHex()}");
        }
        return ExitCode.Ok;
    }
}
