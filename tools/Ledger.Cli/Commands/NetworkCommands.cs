using System.CommandLine;
using Ledger.Cli.Setup;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger network init</c>.</summary>
public static class NetworkCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var presetOption = CliOptions.Required("--preset", "devnet|guangdong", "devnet: the province and the first N-1 cities on 127.0.0.1; guangdong: the province and its 21 cities");
        presetOption.AcceptOnlyFromAmong("devnet", "guangdong");
        var outOption = CliOptions.Required("--out", "DIR", "where to write the network (refused if it holds one)");
        var validatorsOption = CliOptions.OptionalInt("--validators", "N", 1, 64, "validators (devnet; default 4)");
        var chainIdOption = CliOptions.Optional("--chain-id", "ID", "the chain id written to genesis.json");
        var basePortOption = CliOptions.OptionalInt("--base-port", "P", 1024, 65000, "first port: two per validator, two for the signer, then the explorer (default 7600)");
        var kdfOption = CliOptions.OptionalInt("--kdf-iterations", "N", 1, Crypto.KeyFileOptions.MaximumIterations, "PBKDF2 iterations of the key files (fewer than the default only for tests)");
        var passphraseOption = CliOptions.Optional("--passphrase-env", "VAR", "environment variable holding the key files' passphrase (else one is generated into DIR/passphrase)");
        var init = new Command("init", "root CA, city CAs, validator keys and certificates, genesis.json and a config.json per node")
            { presetOption, outOption, validatorsOption, chainIdOption, basePortOption, kdfOption, passphraseOption };
        init.SetAction(p =>
        {
            var passphraseEnv = p.GetValue(passphraseOption);
            return Init(p.GetValue(presetOption)!, p.GetValue(outOption)!, p.GetValue(validatorsOption), p.GetValue(chainIdOption), p.GetValue(basePortOption),
                p.GetValue(kdfOption), passphraseEnv, passphraseEnv is null ? null : context.FromEnvironment(passphraseEnv), context);
        });
        yield return new Command("network", "set up a network's keys, certificates and genesis") { init };
    }

    private static int Init(string preset, string output, int? validators, string? chainId, int? basePort, int? kdf, string? passphraseEnv, string? passphrase, CliContext context)
    {

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
