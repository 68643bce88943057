using System.CommandLine;
using Ledger.Explorer;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger explorer --node URL [--urls URL] [--genesis FILE] --tls-cert PEM --tls-key KEY [--transport-ca PEM] [--insecure]
/// [--cert PEM --key KEYFILE --passphrase-file F]</c>: the block explorer, until SIGINT or SIGTERM; its calls to the node
/// are signed by the operator's certificate.
/// </summary>
public static class ExplorerCommand
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var node = CliOptions.Required("--node", "URL", "the node whose gRPC API the explorer reads");
        var urls = CliOptions.Optional("--urls", "URL", "where the explorer listens (default https://127.0.0.1:8080; http:// only with --insecure)");
        var genesis = CliOptions.Optional("--genesis", "FILE", "genesis.json: the trust anchor proofs are checked against");
        var tlsCert = CliOptions.Optional("--tls-cert", "PEM", "the explorer's TLS certificate (network init writes explorer/tls.pem)");
        var tlsKey = CliOptions.Optional("--tls-key", "KEY", "its private key (mode 0600)");
        var transportCa = CliOptions.Optional("--transport-ca", "PEM", $"the consortium's transport CA the node's certificate must chain to (else ${NodeTarget.CaVariable})");
        var insecure = CliOptions.Flag("--insecure", "plain http for the pages and to the node, for debugging");
        var cert = CliOptions.Optional("--cert", "PEM", "the operator's certificate: every call to the node is signed with it (network init makes an Observer one in explorer/)");
        var key = CliOptions.Optional("--key", "KEYFILE", "the operator certificate's key file");
        var passphraseFile = CliOptions.Optional("--passphrase-file", "FILE", "a file holding the key file's passphrase (else --passphrase-env or the terminal)");
        var passphraseEnv = CliOptions.PassphraseEnv();
        var allowWeak = CliOptions.AllowWeakKdf();
        var logFormat = CliOptions.LogFormatOption();
        var explorer = new Command("explorer", "the block explorer: web pages (zh-CN / English) and a JSON API over one node, over HTTPS")
            { node, urls, genesis, tlsCert, tlsKey, transportCa, insecure, cert, key, passphraseFile, passphraseEnv, allowWeak, logFormat };
        explorer.SetAction(p =>
        {
            var secure = !p.GetValue(insecure);
            var target = NodeTarget.Resolve(p.GetValue(node), p.GetValue(transportCa), !secure, context);
            if (secure && (p.GetValue(tlsCert) is null || p.GetValue(tlsKey) is null))
                throw new UsageException("the explorer serves https: give --tls-cert PEM and --tls-key KEY (or --insecure for plain http, debugging only)");
            Ledger.Client.Access.CallerIdentity? identity = null;
            var certPath = p.GetValue(cert);
            var keyPath = p.GetValue(key);
            if ((certPath is null) != (keyPath is null)) throw new UsageException("--cert and --key go together (the explorer operator's certificate and key)");
            if (certPath is not null)
            {
                var passphrase = p.GetValue(passphraseFile) is { } file ? FileCommands.ReadText(file).TrimEnd('\r', '\n') : context.Passphrase(p.GetValue(passphraseEnv));
                identity = new Ledger.Client.Access.CallerIdentity(Ledger.Crypto.Certificates.LedgerCertificate.FromPem(FileCommands.ReadText(certPath)),
                    Ledger.Crypto.KeyFile.Load(keyPath!, passphrase, new Ledger.Crypto.KeyFileOptions { AllowWeakIterations = p.GetValue(allowWeak) }));
            }
            var format = p.GetValue(logFormat) ?? LogFormat.Text;
            return Run(new ExplorerOptions
            {
                NodeUrl = target.Url,
                Urls = p.GetValue(urls) ?? (secure ? "https://127.0.0.1:8080" : "http://127.0.0.1:8080"),
                GenesisPath = p.GetValue(genesis),
                TlsCertificatePath = p.GetValue(tlsCert),
                TlsKeyPath = p.GetValue(tlsKey),
                TransportCaPath = p.GetValue(transportCa) ?? context.Environment(NodeTarget.CaVariable),
                Insecure = !secure,
                Identity = identity,
                Logging = LogFormat.Configure(format),
            }, format, context);
        });
        yield return explorer;
    }

    private static int Run(ExplorerOptions options, string logFormat, CliContext context)
    {
        if (options.GenesisPath is not null && !File.Exists(options.GenesisPath))
            throw new UsageException($"--genesis {options.GenesisPath}: no such file");

        using var stop = new StopSignal();
        var host = ExplorerHost.StartAsync(options, stop.Token).GetAwaiter().GetResult();
        using var banner = new Banner(context, logFormat, options.Logging!);
        try
        {
            banner.Say("explorer {Url}  (node {NodeUrl})", host.Url.ToString().TrimEnd('/'), options.NodeUrl);
            if (host.TrustAnchor is { } trust) banner.Say("  trust anchor: genesis of chain {ChainId}, SM3 {GenesisHash}", trust.Genesis.ChainId, trust.FileHash);
            else banner.Say("  no --genesis: proofs are checked only against a genesis.json uploaded with them");
            banner.Say("running; Ctrl-C stops");
            stop.Wait();
            banner.Say("stopping");
        }
        finally
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return ExitCode.Ok;
    }
}
