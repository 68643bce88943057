using System.CommandLine;
using Ledger.Cli.Setup;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger network init</c>, the one-machine shortcut for devnets and tests (every bureau's keys made in one place), and
/// <c>ledger network genesis</c>, which assembles genesis from the certificates of a key ceremony where every bureau made
/// its own keys.
/// </summary>
public static class NetworkCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var presetOption = CliOptions.Required("--preset", "devnet|guangdong", "devnet: the province and the first N-1 cities on 127.0.0.1; guangdong: the province and its 21 cities");
        presetOption.AcceptOnlyFromAmong("devnet", "guangdong");
        var outOption = CliOptions.Required("--out", "DIR", "where to write the network (refused if it holds one)");
        var validatorsOption = CliOptions.OptionalInt("--validators", "N", 1, 64, "validators (devnet; default 4)");
        var chainIdOption = CliOptions.Optional("--chain-id", "ID", "the chain id written to genesis.json");
        var spareOption = CliOptions.OptionalInt("--spare-validators", "N", 0, 20, "devnet: also prepare N validators of the next cities that are not in genesis, for a governance vote to add (their ports follow the explorer's)");
        var observersOption = CliOptions.OptionalInt("--observers", "N", 0, 5, "devnet: also prepare N observer nodes (observers/observer-N/): they follow every validator, serve reads and never vote (ports after the spares')");
        var basePortOption = CliOptions.OptionalInt("--base-port", "P", 1024, 65000, "first port: two per validator, two for the signer, then the explorer; the signer's CA process after every other (default 7600)");
        var kdfOption = CliOptions.OptionalInt("--kdf-iterations", "N", 1, Crypto.KeyFileOptions.MaximumIterations, "PBKDF2 iterations of the key files (fewer than the default only for tests)");
        var passphraseOption = CliOptions.Optional("--passphrase-env", "VAR", "environment variable holding the key files' passphrase (else one is generated into DIR/passphrase)");
        var init = new Command("init", "devnets and tests only — one machine makes every bureau's keys: root CA, city CAs, validator keys and certificates, genesis.json and a config.json per node (for a real consortium: the key ceremony, ca csr/issue and network genesis)")
            { presetOption, outOption, validatorsOption, spareOption, observersOption, chainIdOption, basePortOption, kdfOption, passphraseOption };
        init.SetAction(p =>
        {
            var passphraseEnv = p.GetValue(passphraseOption);
            return Init(p.GetValue(presetOption)!, p.GetValue(outOption)!, p.GetValue(validatorsOption), p.GetValue(spareOption) ?? 0, p.GetValue(observersOption) ?? 0, p.GetValue(chainIdOption), p.GetValue(basePortOption),
                p.GetValue(kdfOption), passphraseEnv, passphraseEnv is null ? null : context.FromEnvironment(passphraseEnv), context);
        });
        yield return new Command("network", "set up a network's keys, certificates and genesis") { init, Genesis(context) };
    }

    private static Command Genesis(CliContext context)
    {
        var preset = CliOptions.Required("--preset", "devnet|guangdong", "whose consensus parameters genesis takes (network-config/presets.json); also the network name in genesis");
        preset.AcceptOnlyFromAmong("devnet", "guangdong");
        var root = CliOptions.Required("--root", "PEM", "the province's root CA certificate (ledger ca root)");
        var cas = new Option<string[]>("--ca") { HelpName = "PEM", Description = "a city CA's certificate, issued by the root (repeatable)" };
        var validators = new Option<string[]>("--validator")
        {
            HelpName = "NAME=PEM",
            Required = true,
            Description = "a validator's genesis name and its certificate, issued by the root or a city CA given (repeatable; genesis order)",
        };
        var addresses = new Option<string[]>("--address") { HelpName = "NAME=URL", Description = "https://HOST:PORT where the validator's peers dial it (HTTP port: the next); default 127.0.0.1 from --base-port" };
        var basePort = CliOptions.OptionalInt("--base-port", "P", 1024, 65000, "first port of validators without --address: two each (default 7600)");
        var chainId = CliOptions.Optional("--chain-id", "ID", "the chain id (default: the preset's prefix and 8 random hex digits)");
        var transportCa = CliOptions.Optional("--transport-ca", "PEM", "the consortium's transport CA (ledger tls ca), copied into each node's folder");
        var passphraseEnv = new Option<string>("--passphrase-env")
        {
            HelpName = "VAR",
            Description = "the environment variable each node's config reads its key's passphrase from",
            DefaultValueFactory = _ => "LEDGER_PASSPHRASE",
        };
        var output = CliOptions.Required("--out", "DIR", "where to write genesis.json and nodes/NAME/ for each bureau (refused if it holds a genesis.json)");
        var genesis = new Command("genesis", "genesis.json from certificates only (no key is read), and for each validator a folder for its bureau: config.json, genesis.json, its public certificates")
            { preset, root, cas, validators, addresses, basePort, chainId, transportCa, passphraseEnv, output };
        genesis.SetAction(p =>
        {
            var result = new GenesisAssembler(new GenesisAssemblyOptions
            {
                Preset = p.GetValue(preset)!,
                OutputDirectory = p.GetValue(output)!,
                RootCertificate = p.GetValue(root)!,
                CaCertificates = p.GetValue(cas) ?? [],
                Validators = Pairs(p.GetValue(validators), "--validator", "NAME=PEM"),
                Addresses = Pairs(p.GetValue(addresses), "--address", "NAME=URL"),
                BasePort = p.GetValue(basePort),
                ChainId = p.GetValue(chainId),
                TransportCa = p.GetValue(transportCa),
                PassphraseEnv = p.GetValue(passphraseEnv)!,
            }).Run();
            context.Out.WriteLine($"genesis of {result.Genesis.ChainId} ({result.Genesis.NetworkName}, {result.Genesis.Validators.Count} validators, " +
                $"{result.Genesis.IntermediateCertificates.Count} city CAs): {Path.Combine(result.Directory, NetworkLayout.Genesis)}");
            context.Out.WriteLine($"  SM3 {Crypto.Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(result.Genesis.ToJson())).ToHex()}");
            foreach (var config in result.NodeConfigs)
                context.Out.WriteLine($"  for {Path.GetFileName(Path.GetDirectoryName(config))}: {Path.GetDirectoryName(config)}/ (add node.key, tls.pem, tls.key beside config.json)");
            return ExitCode.Ok;
        });
        return genesis;
    }

    private static IReadOnlyList<(string Name, string Value)> Pairs(string[]? values, string option, string shape) =>
        (values ?? []).Select(v => v.IndexOf('=', StringComparison.Ordinal) is var i and > 0 && i < v.Length - 1
            ? (v[..i], v[(i + 1)..])
            : throw new UsageException($"{option} '{v}': expected {shape}")).ToArray();

    private static int Init(string preset, string output, int? validators, int spares, int observers, string? chainId, int? basePort, int? kdf, string? passphraseEnv, string? passphrase, CliContext context)
    {

        var result = new NetworkInitializer(new NetworkInitOptions
        {
            Preset = preset,
            OutputDirectory = output,
            Validators = validators,
            SpareValidators = spares,
            Observers = observers,
            ChainId = chainId,
            BasePort = basePort,
            Passphrase = passphrase,
            PassphraseEnv = passphraseEnv,
            KdfIterations = kdf,
        }).Run();

        context.Out.WriteLine($"network {result.Genesis.ChainId} ({preset}, {result.Genesis.Validators.Count} validators) in {result.Directory}");
        context.Out.WriteLine($"  genesis: {Path.Combine(result.Directory, NetworkLayout.Genesis)}");
        var inGenesis = result.Genesis.Validators.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var config in result.NodeConfigs)
        {
            var name = Path.GetFileName(Path.GetDirectoryName(config)) ?? "";
            context.Out.WriteLine(inGenesis.Contains(name) ? $"  node:    {config}" : $"  spare:   {config} (not in genesis: a governance vote adds it)");
        }
        foreach (var config in result.ObserverConfigs) context.Out.WriteLine($"  observer: {config} (follows the validators, never votes)");
        if (result.PassphraseFile is not null) context.Out.WriteLine($"  key files are encrypted with the passphrase in {result.PassphraseFile} (mode 0600)");
        return ExitCode.Ok;
    }
}
