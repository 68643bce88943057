using System.CommandLine;
using Ledger.Anchor;
using Ledger.Client;
using Ledger.Core;
using Microsoft.Extensions.Logging;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger anchor --config FILE</c> (the anchoring service, until SIGINT or SIGTERM), <c>ledger anchor key new</c>
/// (the anchoring account's keystore) and <c>ledger anchor deploy</c> (the Checkpoints contract).
/// </summary>
public static class AnchorCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var config = CliOptions.Optional("--config", "FILE", "the anchoring service's config (JSON; see README \"Anchoring on an external chain\")");
        var logFormat = CliOptions.LogFormatOption();
        var anchor = new Command("anchor", "anchor checkpoints of the chain on an external EVM chain (the service, its key, its contract)") { config, logFormat };
        anchor.SetAction(p =>
        {
            var path = p.GetValue(config) ?? throw new UsageException("ledger anchor: --config FILE is required to run the service (or name a subcommand: key, deploy)");
            return Run(path, p.GetValue(logFormat) ?? LogFormat.Text, context);
        });

        var output = CliOptions.Required("--out", "KEYFILE", "where to write the new keystore file (never overwritten)");
        var passphrase = CliOptions.PassphraseEnv(what: "the keystore's passphrase");
        var scryptN = CliOptions.Int("--scrypt-n", "N", AnchorKeyFile.DefaultScryptN, 2, 1 << 22,
            "scrypt cost (a power of two); lower than the default only for tests and throw-away keys");
        var keyNew = new Command("new", "a new secp256k1 account key in an Ethereum keystore file (scrypt, AES-128-CTR); prints its address") { output, passphrase, scryptN };
        keyNew.SetAction(p =>
        {
            var path = p.GetValue(output)!;
            if (File.Exists(path)) throw new UsageException($"{path} exists; refusing to overwrite a key");
            var secret = context.Passphrase(p.GetValue(passphrase), confirm: true);
            context.Out.WriteLine(AnchorKeyFile.Create(path, secret, p.GetValue(scryptN)));
            return ExitCode.Ok;
        });
        anchor.Subcommands.Add(new Command("key", "the anchoring account's key") { keyNew });

        var rpc = CliOptions.Required("--rpc", "URL", "JSON-RPC URL of the external EVM chain's node");
        var chainId = new Option<ulong>("--evm-chain-id") { Required = true, HelpName = "ID", Description = "the external chain's id (EIP-155)" };
        var key = CliOptions.Required("--key", "KEYFILE", "keystore of the account that pays for the deployment");
        var deployPassphrase = CliOptions.PassphraseEnv(what: "the keystore's passphrase");
        var writer = CliOptions.Optional("--writer", "ADDRESS", "the only account that may anchor (default: the deploying account)");
        var deploy = new Command("deploy", "deploy the Checkpoints contract (anchor/contracts/Checkpoints.sol); prints its address") { rpc, chainId, key, deployPassphrase, writer };
        deploy.SetAction(p =>
        {
            var keyPath = p.GetValue(key)!;
            if (!File.Exists(keyPath)) throw new UsageException($"--key {keyPath}: no such file");
            var url = p.GetValue(rpc)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out _)) throw new UsageException($"--rpc {url} is not a URL");
            var account = AnchorKeyFile.Load(keyPath, context.Passphrase(p.GetValue(deployPassphrase)));
            var writerAddress = p.GetValue(writer) ?? account.GetPublicAddress();
            if (!Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(writerAddress)) throw new UsageException($"--writer {writerAddress} is not an address");
            context.Out.WriteLine(EvmAnchorChain.DeployAsync(url, p.GetValue(chainId), account, writerAddress).GetAwaiter().GetResult());
            return ExitCode.Ok;
        });
        anchor.Subcommands.Add(deploy);
        anchor.Subcommands.Add(Verify(context));
        anchor.Subcommands.Add(EvmNode());

        yield return anchor;
    }

    /// <summary>
    /// Hidden, for <c>ledger devnet --anchor</c>: runs ganache as a child and stops it when this process is stopped or
    /// its devnet goes away (ganache itself would outlive a killed devnet).
    /// </summary>
    private static Command EvmNode()
    {
        var ganache = CliOptions.Required("--ganache", "PATH", "the ganache executable");
        var db = CliOptions.Required("--db", "DIR", "ganache's database folder");
        var port = CliOptions.Int("--port", "PORT", 8545, 1, 65535, "the JSON-RPC port on 127.0.0.1");
        var command = new Command("evm-node", "a local EVM node (ganache) for the devnet") { ganache, db, port };
        command.Hidden = true;
        command.SetAction(p =>
        {
            using var stop = new StopSignal();
            using var process = DevnetAnchor.StartGanache(p.GetValue(ganache)!, p.GetValue(db)!, p.GetValue(port));
            while (!stop.Wait(TimeSpan.FromMilliseconds(250)))
                if (process.HasExited) return ExitCode.Negative;
            DevnetAnchor.Stop(process);
            return ExitCode.Ok;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var height = new Option<ulong>("--height") { Required = true, HelpName = "H", Description = "the height of our chain to check" };
        var rpc = CliOptions.Required("--rpc", "URL", "JSON-RPC URL of the external EVM chain's node");
        var contract = CliOptions.Required("--contract", "ADDRESS", "the Checkpoints contract on the external chain");
        var genesis = CliOptions.Required("--genesis", "FILE", "genesis.json: the trust anchor our block's commit certificate is checked against");
        var node = new NodeOptions();
        var confirmations = CliOptions.Int("--confirmations", "K", 12, 1, 1_000_000, "external blocks the checkpoint must be deep (its own included)");
        var evmChainId = new Option<ulong?>("--evm-chain-id") { HelpName = "ID", Description = "the external chain's id; when given, the node must be that chain" };
        var verify = new Command("verify",
            "check that the checkpoint covering a height is on the external chain, deep enough, and equal to our certified block (exit 1 when not)")
            { height, rpc, contract, genesis, confirmations, evmChainId };
        node.AddTo(verify);
        verify.SetAction(p =>
        {
            var genesisPath = p.GetValue(genesis)!;
            if (!File.Exists(genesisPath)) throw new UsageException($"--genesis {genesisPath}: no such file");
            var trust = Core.Genesis.GenesisDocument.FromJson(File.ReadAllText(genesisPath));
            var url = p.GetValue(rpc)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out _)) throw new UsageException($"--rpc {url} is not a URL");
            var address = p.GetValue(contract)!;
            if (!Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(address)) throw new UsageException($"--contract {address} is not an address");
            var h = p.GetValue(height);
            var k = (ulong)p.GetValue(confirmations);
            var nodeTarget = node.Read(p, context);
            AnchorVerification result;
            try
            {
                var evmId = p.GetValue(evmChainId) ?? new EvmAnchorChain(url, 0, address, null).GetChainIdAsync().GetAwaiter().GetResult();
                var evm = new EvmAnchorChain(url, evmId, address, null);
                result = ContractCommands.WithNode(nodeTarget, client => new AnchorVerifier(trust, evm, new LedgerBlockReader(client)).VerifyAsync(h, k));
            }
            catch (LedgerException e)
            {
                throw new NegativeAnswerException($"not anchored: {e.Code}: {e.Message}");
            }
            context.Out.WriteLine($"anchored: block {result.Height} of chain {trust.ChainId} is covered by checkpoint {result.CheckpointHeight}");
            context.Out.WriteLine($"  block {result.Height}: {result.BlockHash}");
            context.Out.WriteLine($"  checkpoint {result.CheckpointHeight}: {result.CheckpointBlockHash}, sealed by {result.Seals} of the {result.Validators} validators of its height");
            context.Out.WriteLine($"  external: contract {address}, block {result.ExternalBlock} at {result.ExternalTime:yyyy-MM-ddTHH:mm:ssZ}, {result.Confirmations} confirmations");
            context.Out.WriteLine($"  so block {result.Height} existed no later than {result.ExternalTime:yyyy-MM-ddTHH:mm:ssZ}");
            if (!result.CertificateMatches)
                context.Out.WriteLine($"  note: this node holds another commit certificate for block {result.CheckpointHeight} than the anchored one (another quorum of seals; the block hash matches)");
            return ExitCode.Ok;
        });
        return verify;
    }

    private static int Run(string configPath, string logFormat, CliContext context)
    {
        if (!File.Exists(configPath)) throw new UsageException($"--config {configPath}: no such file");
        var options = AnchorOptions.Load(configPath);
        if (!File.Exists(options.KeyFile)) throw new UsageException($"{configPath}: keyFile {options.KeyFile}: no such file");
        var key = AnchorKeyFile.Load(options.KeyFile, options.ReadPassphrase());

        using var stop = new StopSignal();
        var logging = LogFormat.Configure(logFormat);
        using var loggers = LoggerFactory.Create(logging);
        using var banner = new Banner(context, logFormat, logging);
        var recorderKey = options.LoadRecorder();
        // Headers are public; the recorder's own txs are read back under its Bureau certificate, so it signs the calls.
        var clientOptions = options.ClientOptions();
        if (recorderKey is { } signer) clientOptions = clientOptions with { Identity = new Ledger.Client.Access.CallerIdentity(signer.Certificate, signer.Key) };
        using var client = LedgerClient.Connect(options.Node, clientOptions);
        var evm = new EvmAnchorChain(options.Rpc, options.EvmChainId, options.Contract, key);

        var chainId = ChainIdOf(client, stop);
        if (chainId is null) return ExitCode.Ok;
        var recorder = recorderKey is { } r ? new LedgerAnchorRecorder(client, chainId, r.Certificate, r.Key) : null;
        var service = new AnchorService(options, new LedgerCheckpointSource(client), evm, new AnchorStateStore(options.StateFile),
            loggers.CreateLogger<AnchorService>(), recorder: recorder);
        banner.Say("anchoring chain {ChainId} (node {Node}) at the chain's interval (anchor.intervalBlocks, anchor.intervalSeconds) on EVM chain {EvmChainId}, contract {Contract}, account {Address}, {Confirmations} confirmations",
            chainId, options.Node, options.EvmChainId, evm.Contract, evm.Address, options.Confirmations);
        if (recorderKey is { } recording) banner.Say("  recording each anchor on our chain as an ExternalAnchor tx by {Bureau}", recording.Certificate.Subject);
        else banner.Say("  anchors are not recorded on our chain (no recorderKeyFile)");
        banner.Say("running; Ctrl-C stops");
        try
        {
            service.RunAsync(chainId, stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stop.IsStopped)
        {
        }
        catch (LedgerException e) when (e.Code is ErrorCode.AnchorConflict or ErrorCode.AnchorWriteRefused)
        {
            throw new NegativeAnswerException(e.Message);
        }
        banner.Say("stopping");
        return ExitCode.Ok;
    }

    /// <summary>Our chain's id, from the node; waits (with backoff) while the node is not up. Null when stopped first.</summary>
    private static string? ChainIdOf(LedgerClient client, StopSignal stop)
    {
        var wait = TimeSpan.FromMilliseconds(250);
        while (!stop.IsStopped)
        {
            try
            {
                return client.GetChainInfoAsync(stop.Token).GetAwaiter().GetResult().ChainId;
            }
            catch (LedgerClientException e) when (e.Status is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded)
            {
                if (stop.Wait(wait)) return null;
                wait = TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds * 2, 10_000));
            }
            catch (OperationCanceledException) when (stop.IsStopped)
            {
                return null;
            }
        }
        return null;
    }
}
