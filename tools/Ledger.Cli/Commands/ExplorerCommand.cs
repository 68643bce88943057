using System.CommandLine;
using Ledger.Explorer;
using Ledger.Explorer.Staff;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger explorer --node URL [--urls URL] [--genesis FILE] --tls-cert PEM --tls-key KEY [--transport-ca PEM] [--insecure]
/// [--cert PEM --key KEYFILE --passphrase-file F] [--accounts FILE] [--analytics URL]</c>: the block explorer, until SIGINT or SIGTERM; its calls
/// to the node are signed by the operator's certificate; staff sign in with the accounts <c>ledger explorer account add</c> makes.
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
        var reportCert = CliOptions.Optional("--report-cert", "PEM", "a Bureau certificate the explorer signs verification reports (PDF) with, for signed-in staff; without it, no reports");
        var reportKey = CliOptions.Optional("--report-key", "KEYFILE", "the report certificate's key file (same passphrase as --key)");
        var publicUrl = CliOptions.Optional("--public-url", "URL", "the https address the public reaches this explorer at: reports carry a QR code to its verify page");
        var accounts = CliOptions.Optional("--accounts", "FILE", "the staff accounts file (ledger explorer account add): courts, arbitration boards, inspectors and bureaus sign in; without it, public pages only");
        var analytics = CliOptions.Optional("--analytics", "URL", "the analytics service (ledger analytics) the bureau dashboard reads, called with --cert; without it, no dashboard");
        var logFormat = CliOptions.LogFormatOption();
        var explorer = new Command("explorer", "the block explorer: web pages (zh-CN / English) and a JSON API over one node, over HTTPS")
            { node, urls, genesis, tlsCert, tlsKey, transportCa, insecure, cert, key, passphraseFile, passphraseEnv, allowWeak, accounts, reportCert, reportKey, publicUrl, analytics, logFormat };
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
            string? passphrase = null;
            if (certPath is not null)
            {
                passphrase = p.GetValue(passphraseFile) is { } file ? FileCommands.ReadText(file).TrimEnd('\r', '\n') : context.Passphrase(p.GetValue(passphraseEnv));
                identity = new Ledger.Client.Access.CallerIdentity(Ledger.Crypto.Certificates.LedgerCertificate.FromPem(FileCommands.ReadText(certPath)),
                    Ledger.Crypto.KeyFile.Load(keyPath!, passphrase, new Ledger.Crypto.KeyFileOptions { AllowWeakIterations = p.GetValue(allowWeak) }));
            }
            Ledger.Reports.ReportIssuer? reports = null;
            if ((p.GetValue(reportCert) is null) != (p.GetValue(reportKey) is null)) throw new UsageException("--report-cert and --report-key go together");
            if (p.GetValue(reportCert) is { } reportCertPath)
            {
                if (passphrase is null) throw new UsageException("--report-cert needs the operator's --cert and --key (reports are for signed-in staff, whose reads are recorded with them)");
                var reportCertificate = Ledger.Crypto.Certificates.LedgerCertificate.FromPem(FileCommands.ReadText(reportCertPath));
                if (reportCertificate.Role != Ledger.Core.Identity.Role.Bureau)
                    throw new UsageException($"{reportCertPath}: reports are signed by a bureau; this certificate is a {reportCertificate.Role}");
                var reportKeyFile = Ledger.Crypto.KeyFile.Load(p.GetValue(reportKey)!, passphrase, new Ledger.Crypto.KeyFileOptions { AllowWeakIterations = p.GetValue(allowWeak) });
                if (reportKeyFile.PublicKey.Id != reportCertificate.PublicKey.Id) throw new UsageException($"{p.GetValue(reportKey)} is not the key of {reportCertPath}");
                reports = new Ledger.Reports.ReportIssuer(reportCertificate, reportKeyFile);
            }
            if (p.GetValue(accounts) is not null && identity is null)
                throw new UsageException("--accounts needs the operator's --cert and --key: staff reads are recorded on chain with them");
            var analyticsUrl = p.GetValue(analytics);
            if (analyticsUrl is not null)
            {
                if (identity is null) throw new UsageException("--analytics needs the operator's --cert and --key: the dashboard's statistics are asked for with them");
                if (!Uri.TryCreate(analyticsUrl, UriKind.Absolute, out var analyticsUri) || analyticsUri.Scheme is not ("http" or "https"))
                    throw new UsageException($"--analytics {analyticsUrl} is not an http:// or https:// URL");
                if (secure && analyticsUri.Scheme != "https") throw new UsageException($"--analytics {analyticsUrl} is plaintext; give an https:// URL (or --insecure, debugging only)");
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
                AccountsPath = p.GetValue(accounts),
                ReportIssuer = reports,
                AnalyticsUrl = analyticsUrl,
                PublicUrl = p.GetValue(publicUrl) is { } url
                    ? Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps ? parsed
                        : throw new UsageException($"--public-url must be an absolute https URL, got '{url}'")
                    : null,
                Logging = LogFormat.Configure(format),
            }, format, context);
        });
        explorer.Add(Accounts(context));
        yield return explorer;
    }

    /// <summary><c>ledger explorer account add|remove</c>: the operator manages the staff accounts file.</summary>
    private static Command Accounts(CliContext context)
    {
        var account = new Command("account", "the explorer's staff accounts (courts, arbitration boards, inspectors, bureaus)");
        {
            var file = CliOptions.Required("--accounts", "FILE", "the accounts file (created if missing; written atomically, owner-only)");
            var user = CliOptions.Required("--user", "NAME", "the account name (1-64 characters, no spaces; no person's name needed)");
            var role = CliOptions.Named<StaffRole>("--role", "court, arbitration, inspector or bureau: decides the basis reads are recorded with and whether sensitive bases show");
            var institution = CliOptions.Required("--institution", "NAME", "the court, board, inspectorate or bureau the account works for");
            var passwordEnv = CliOptions.Required("--password-env", "VAR", "the environment variable holding the password (at least 10 characters)");
            var division = CliOptions.Optional("--division", "CODE", "a bureau account's division (6 or 12 digits): it reads contracts registered or worked there");
            var iterations = CliOptions.Int("--kdf-iterations", "N", StaffAccounts.DefaultIterations, 1000, 10_000_000, "PBKDF2-HMAC-SM3 iterations");
            var add = new Command("add", "add (or replace) a staff account; the password is kept only as PBKDF2-HMAC-SM3") { file, user, role, institution, division, passwordEnv, iterations };
            add.SetAction(p =>
            {
                var variable = p.GetValue(passwordEnv)!;
                var password = context.Environment(variable);
                if (string.IsNullOrEmpty(password)) throw new UsageException($"environment variable {variable} is not set");
                var store = StaffAccounts.Load(p.GetValue(file)!);
                var added = store.Add(p.GetValue(user)!, p.GetValue(role)!.Value, p.GetValue(institution)!, password, p.GetValue(iterations), p.GetValue(division));
                store.Save(p.GetValue(file)!);
                var scope = added.Division is { } d ? $", division {d}" : "";
                context.Out.WriteLine($"account {added.User}: {added.Role} of {added.Institution}{scope}, password hashed with PBKDF2-HMAC-SM3 ({added.Iterations} iterations) in {p.GetValue(file)}");
                return ExitCode.Ok;
            });
            account.Add(add);
        }
        {
            var file = CliOptions.Required("--accounts", "FILE", "the accounts file");
            var user = CliOptions.Required("--user", "NAME", "the account to remove");
            var remove = new Command("remove", "remove a staff account; exit 1 if there is none") { file, user };
            remove.SetAction(p =>
            {
                var store = StaffAccounts.Load(p.GetValue(file)!);
                if (!store.Remove(p.GetValue(user)!)) throw new NegativeAnswerException($"no account {p.GetValue(user)} in {p.GetValue(file)}");
                store.Save(p.GetValue(file)!);
                context.Out.WriteLine($"account {p.GetValue(user)} removed (sessions it holds end at the explorer's next start or their expiry)");
                return ExitCode.Ok;
            });
            account.Add(remove);
        }
        return account;
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
