using Ledger.Cli.Setup;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger network init</c>.</summary>
public static class NetworkCommands
{
    public static int Init(Arguments args, CliContext context)
    {
        var preset = args.Required("preset");
        var output = args.Required("out");
        var validators = args.Optional("validators") is null ? (int?)null : args.Int("validators", 4, 1, 64);
        var chainId = args.Optional("chain-id");
        var basePort = args.Optional("base-port") is null ? (int?)null : args.Int("base-port", 7600, 1024, 65000);
        var kdf = args.Optional("kdf-iterations") is null ? (int?)null : args.Int("kdf-iterations", 0, 1, Crypto.KeyFileOptions.MaximumIterations);
        var passphraseEnv = args.Optional("passphrase-env");
        string? passphrase = null;
        if (passphraseEnv is not null)
        {
            passphrase = context.Environment(passphraseEnv);
            if (string.IsNullOrEmpty(passphrase)) throw new UsageException($"environment variable {passphraseEnv} is not set");
        }
        args.EnsureAllRead();
        if (preset is not ("devnet" or "guangdong")) throw new UsageException($"unknown preset '{preset}' (devnet or guangdong)");

        var result = new NetworkInitializer(new NetworkInitOptions
        {
            Preset = preset,
            OutputDirectory = output,
            Validators = validators,
            ChainId = chainId,
            BasePort = basePort,
            Passphrase = passphrase,
            PassphraseEnv = passphraseEnv,
            KdfIterations = kdf,
        }).Run();

        context.Out.WriteLine($"network {result.Genesis.ChainId} ({preset}, {result.Genesis.Validators.Count} validators) in {result.Directory}");
        context.Out.WriteLine($"  genesis: {Path.Combine(result.Directory, NetworkLayout.Genesis)}");
        foreach (var config in result.NodeConfigs) context.Out.WriteLine($"  node:    {config}");
        if (result.PassphraseFile is not null) context.Out.WriteLine($"  key files are encrypted with the passphrase in {result.PassphraseFile} (mode 0600)");
        return ExitCode.Ok;
    }
}
