using System.CommandLine;
using Grpc.Core;
using Ledger.Client;
using Ledger.Client.Signer;
using Ledger.Signer;
using Ledger.Signer.Hosting;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger signer --config FILE</c>: the bureau's signer service, until SIGINT or SIGTERM; and an operator's verbs against
/// a running signer, each call signed with the operator's Bureau certificate: <c>ledger signer enrol</c> (a worker or an
/// employer) and <c>ledger signer audit</c> (the bureau's view of the audit log).
/// </summary>
public static class SignerCommands
{
    /// <summary>Names the signer the operator verbs talk to when --signer is not given.</summary>
    public const string SignerVariable = "LEDGER_SIGNER";

    public const string DefaultSignerUrl = "https://127.0.0.1:7608";

    public static IEnumerable<Command> Commands(CliContext context)
    {
        var config = CliOptions.Optional("--config", "FILE", "the signer's config.json (network init writes one under signers/<city>/)");
        var insecure = CliOptions.Flag("--insecure", "plaintext listeners and node link, for debugging (TLS otherwise: PINs cross these ports)");
        var logFormat = CliOptions.LogFormatOption();
        var signer = new Command("signer", "run a city bureau's signer service: custodial keys, intent confirmation, certificates, audit log") { config, insecure, logFormat };
        signer.SetAction(p =>
        {
            var path = p.GetValue(config) ?? throw new UsageException("ledger signer: --config FILE is required to run the service (or name a subcommand: enrol, audit)");
            return Run(path, p.GetValue(insecure), p.GetValue(logFormat) ?? LogFormat.Text, context);
        });
        signer.Subcommands.Add(Enrol(context));
        signer.Subcommands.Add(Audit(context));
        yield return signer;
    }

    /// <summary>The options every operator verb shares: which signer, and the operator's certificate and key.</summary>
    private sealed class OperatorOptions
    {
        private readonly Option<string?> _signer = CliOptions.Optional("--signer", "URL",
            $"the signer's gRPC endpoint (default ${SignerVariable}, else {DefaultSignerUrl}: the signer of a devnet with 4 validators)");
        private readonly Option<string?> _transportCa = CliOptions.Optional("--transport-ca", "PEM",
            $"the consortium's transport CA the signer's TLS certificate must chain to (else ${NodeTarget.CaVariable}, else ./devnet/transport-ca.pem)");
        private readonly Option<bool> _insecure = CliOptions.Flag("--insecure", "allow an http:// (plaintext) signer, for debugging");
        private readonly Option<string> _cert = CliOptions.Required("--operator-cert", "PEM", "your operator certificate (Bureau, from the signer's city CA): every call is signed with it");
        private readonly Option<string> _key = CliOptions.Required("--operator-key", "KEYFILE", "its key file");
        private readonly Option<string?> _passphrase = CliOptions.PassphraseEnv(what: "the operator key file's passphrase");
        private readonly Option<bool> _allowWeak = CliOptions.AllowWeakKdf();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _signer, _transportCa, _insecure, _cert, _key, _passphrase, _allowWeak }) command.Options.Add(option);
        }

        public SignerClient Connect(ParseResult p, CliContext context)
        {
            // The signer's URL and TLS trust resolve as a node's do: --transport-ca, $LEDGER_TRANSPORT_CA, ./devnet/transport-ca.pem.
            var url = p.GetValue(_signer) ?? (context.Environment(SignerVariable) is { Length: > 0 } fromVariable ? fromVariable : DefaultSignerUrl);
            var target = NodeTarget.Resolve(url, p.GetValue(_transportCa), p.GetValue(_insecure), context,
                File.Exists(Path.Combine("devnet", "transport-ca.pem")) ? Path.Combine("devnet", "transport-ca.pem") : null);
            var certificate = Crypto.Certificates.LedgerCertificate.FromPem(FileCommands.ReadText(p.GetValue(_cert)!));
            var key = Crypto.KeyFile.Load(p.GetValue(_key)!, context.Passphrase(p.GetValue(_passphrase)), new Crypto.KeyFileOptions { AllowWeakIterations = p.GetValue(_allowWeak) });
            return SignerClient.Connect(target.Url, new LedgerClientOptions { TransportCa = target.TransportCa, Identity = new Client.Access.CallerIdentity(certificate, key) });
        }
    }

    private static Command Enrol(CliContext context)
    {
        var operatorOptions = new OperatorOptions();
        var person = CliOptions.Flag("--person", "enrol a worker: a Worker certificate naming the pseudonym the signer computes from the ID number");
        var idNumberEnv = CliOptions.Optional("--id-number-env", "VAR",
            "with --person: environment variable holding the worker's resident identity number (never on the command line, where ps shows it); the signer uses it for the pseudonym only");
        var organisation = CliOptions.Optional("--organisation", "NAME", "enrol an employer by its registered name (an Employer certificate)");
        var creditCode = CliOptions.CreditCode("--credit-code", "with --organisation: its 18-character unified social credit code");
        var pinEnv = CliOptions.Required("--pin-env", "VAR", "environment variable holding the holder's new PIN (6..128 characters; the holder chooses it)");
        var output = CliOptions.Optional("--out", "PEM", "write the holder's certificate here (never over an existing file)");
        var command = new Command("enrol", "as a bureau operator, enrol a worker (after the real-name check) or an employer at a city signer; prints the holder id and certificate")
        {
            person, idNumberEnv, organisation, creditCode, pinEnv, output,
        };
        operatorOptions.AddTo(command);
        command.SetAction(p =>
        {
            var isPerson = p.GetValue(person);
            var name = p.GetValue(organisation);
            var code = p.GetValue(creditCode);
            if (isPerson == (name is not null))
                throw new UsageException("give --person (a worker) or --organisation NAME --credit-code CODE (an employer)");
            if (isPerson && (p.GetValue(idNumberEnv) is null || code is not null))
                throw new UsageException("--person takes --id-number-env VAR and no --credit-code");
            if (!isPerson && (code is null || p.GetValue(idNumberEnv) is not null))
                throw new UsageException("--organisation takes --credit-code CODE and no --id-number-env");
            var outPath = p.GetValue(output);
            if (outPath is not null && File.Exists(outPath)) throw new UsageException($"--out {outPath} exists; not overwritten");
            var pin = context.FromEnvironment(p.GetValue(pinEnv)!);
            var idNumber = isPerson ? context.FromEnvironment(p.GetValue(idNumberEnv)!) : null;
            using var client = operatorOptions.Connect(p, context);
            var holder = WithSigner(() => isPerson
                ? client.EnrolWorkerAsync(pin, idNumber!)
                : client.EnrolEmployerAsync(pin, name!, code!.Value.Value));
            if (outPath is not null) File.WriteAllText(outPath, holder.Certificate.ToPem());
            context.Out.WriteLine($"holder {holder.HolderId}");
            context.Out.WriteLine($"certificate {holder.Certificate.Role} \"{holder.Certificate.CommonName}\" serial {holder.Certificate.SerialNumberHex}");
            if (holder.Certificate.WorkerPseudonym is { } pseudonym) context.Out.WriteLine($"pseudonym {pseudonym.ToHex()}");
            return ExitCode.Ok;
        });
        return command;
    }

    private static Command Audit(CliContext context)
    {
        var operatorOptions = new OperatorOptions();
        var from = CliOptions.OptionalInt("--from", "SEQ", 1, int.MaxValue, "the first record (default 1)");
        var limit = CliOptions.Int("--limit", "N", 100, 1, 1000, "at most this many records (default 100)");
        var command = new Command("audit", "as a bureau operator, read the signer's whole audit log with its chain and anchor check (the read is audited too)") { from, limit };
        operatorOptions.AddTo(command);
        command.SetAction(p =>
        {
            using var client = operatorOptions.Connect(p, context);
            var response = WithSigner(() => client.ListBureauAuditAsync((ulong)(p.GetValue(from) ?? 1), (uint)p.GetValue(limit)));
            foreach (var e in response.Events)
            {
                var by = e.OperatorCertificateId.IsEmpty ? "" : $" by \"{e.OperatorSubject}\" ({Convert.ToHexStringLower(e.OperatorCertificateId.Span)})";
                var holder = e.HolderKeyId.IsEmpty ? "-" : Convert.ToHexStringLower(e.HolderKeyId.Span);
                context.Out.WriteLine($"{e.Sequence} {DateTimeOffset.FromUnixTimeMilliseconds(e.Time):yyyy-MM-ddTHH:mm:ss.fffZ} {e.Kind} holder {holder} {e.Code}{by}");
            }
            var check = response.Check;
            context.Out.WriteLine(check.Intact
                ? $"chain intact to {check.HeadSequence}" + (check.Anchored ? $", anchored at {check.AnchoredSequence} ({(check.AnchorMatches ? "matches" : "DOES NOT MATCH")})" : ", not anchored yet")
                : $"chain BROKEN at {check.FirstBadSequence}: {check.Reason}");
            return check.Intact && (!check.Anchored || check.AnchorMatches) ? ExitCode.Ok : ExitCode.Negative;
        });
        return command;
    }

    /// <summary>One call to the signer; a refusal is one line naming the typed reason (exit 2 for a malformed request, else 1).</summary>
    private static T WithSigner<T>(Func<Task<T>> call)
    {
        try
        {
            return call().GetAwaiter().GetResult();
        }
        catch (LedgerClientException e) when (e.Status == StatusCode.InvalidArgument)
        {
            throw new UsageException($"the signer refused the request: {e.Message}");
        }
        catch (LedgerClientException e)
        {
            throw new NegativeAnswerException($"the signer refused: {e.Message}");
        }
    }

    private static int Run(string configPath, bool insecure, string logFormat, CliContext context)
    {
        var config = SignerConfig.Load(configPath);
        if (insecure)
        {
            // Plaintext everywhere, the node link included: a devnet run with --insecure has no TLS listener to reach.
            config = config with { Insecure = true, NodeUrl = config.NodeUrl?.Replace("https://", "http://", StringComparison.Ordinal) };
        }

        using var stop = new StopSignal();

        var logging = LogFormat.Configure(logFormat);
        var host = SignerHost.StartAsync(config, stop.Token, logging).GetAwaiter().GetResult();
        using var banner = new Banner(context, logFormat, logging);
        try
        {
            banner.Say("{Signer}: signer for chain {ChainId}, audit head {AuditHead}", config.Name, config.ChainId, host.Service.AuditHead);
            banner.Say("  grpc    {GrpcEndpoint}", host.GrpcEndpoint.ToString().TrimEnd('/'));
            banner.Say("  http    {HttpEndpoint}  (/healthz, /metrics)", host.HttpEndpoint.ToString().TrimEnd('/'));
            if (config.NodeUrl is null) banner.Say("  anchoring off (no nodeUrl)");
            else banner.Say("  anchors the audit head on {NodeUrl} every {AnchorIntervalSeconds} s", config.NodeUrl, config.AnchorIntervalSeconds);
            banner.Say("  enrolment and the bureau's audit view: calls signed by an operator of {Ca}", host.Service.CaCertificate.CommonName);
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
