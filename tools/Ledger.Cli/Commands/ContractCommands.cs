using System.Globalization;
using Grpc.Core;
using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger contract ...</c>: the integrator helpers over the SDK — build a labour-contract tx from flags, sign it as
/// the submitter with the parties' statement signatures, submit, await the commit — and <c>contract show</c>.
/// </summary>
public static class ContractCommands
{
    public const string DefaultNode = NodeTarget.DefaultUrl;

    /// <summary>The flag reference printed by <c>ledger contract help</c>.</summary>
    public static readonly string[] Reference =
    [
        "Common to register|sign|change|renew|dissolve|terminate|upload-paper:",
        "  --node URL                 node to submit to (default " + DefaultNode + ")",
        "  --transport-ca PEM         the consortium's transport CA the node's TLS certificate must chain to",
        "                             (else $" + NodeTarget.CaVariable + ", else ./devnet/transport-ca.pem for the default node)",
        "  --insecure                 allow an http:// (plaintext) node, for debugging",
        "  --key KEYFILE --cert PEM   the submitter's key file and certificate (signs the tx body)",
        "  --passphrase-env VAR       passphrase of the key files (else asked at the terminal)",
        "  --employer-key KEYFILE --employer-cert PEM     the employer signs the contract statement",
        "  --worker-key KEYFILE [--worker-cert PEM]        the worker signs it (a bare key unless --worker-cert)",
        "  --worker-pub PEM|--worker-cert PEM --worker-sig SIG   attach a worker signature made elsewhere (DER)",
        "  --employer-passphrase-env VAR --worker-passphrase-env VAR   other passphrases for the party key files",
        "  --ttl SECONDS              how long the tx may wait for a block (default 600)",
        "  --wait SECONDS | --no-wait await the commit (default 30 s) and exit 1 if the chaincode refused the tx",
        "Documents: --document FILE (its SM3 is anchored) or --document-hash SM3; --format pdf|ofd.",
        "Terms (register, change, renew, upload-paper): --type fixed-term|open-ended|task-based --start DATE",
        "  [--end DATE] [--probation-end DATE] --place DIVISION12 --industry GB4754 [--model-text ID]   (DATE = yyyy-mm-dd)",
        "  register      --id ID DOCUMENT --format F --employer-credit-code CODE --worker-commitment SM3 TERMS",
        "  sign          --id ID --version N DOCUMENT",
        "  change|renew  --id ID --base-version N DOCUMENT --format F TERMS",
        "  dissolve      --id ID --version N DOCUMENT --basis art36-agreement|art37-worker-notice|... --effective DATE",
        "  terminate     --id ID --version N DOCUMENT --reason term-expired|pension-started|... --effective DATE",
        "  upload-paper  --id ID DOCUMENT --format F --employer-credit-code CODE --worker-commitment SM3 TERMS",
        "                --signed-on DATE [--attestation REF]",
    ];

    public static int Help(Arguments args, CliContext context)
    {
        args.EnsureAllRead();
        foreach (var line in Reference) context.Out.WriteLine(line);
        return ExitCode.Ok;
    }

    public static int Register(Arguments args, CliContext context) => Submit(args, context, () => new RegisterPayload
    {
        ContractId = args.Required("id"),
        DocumentHash = Document(args),
        DocumentFormat = Format(args),
        EmployerCreditCode = args.Required("employer-credit-code"),
        WorkerCommitment = Hash(args, "worker-commitment"),
        Terms = Terms(args),
    });

    public static int Sign(Arguments args, CliContext context) => Submit(args, context, () => new SignPayload
    {
        ContractId = args.Required("id"),
        Version = Version(args, "version"),
        DocumentHash = Document(args),
    });

    public static int Change(Arguments args, CliContext context) => Submit(args, context, () => new ChangePayload
    {
        ContractId = args.Required("id"),
        BaseVersion = Version(args, "base-version"),
        DocumentHash = Document(args),
        DocumentFormat = Format(args),
        Terms = Terms(args),
    });

    public static int Renew(Arguments args, CliContext context) => Submit(args, context, () => new RenewPayload
    {
        ContractId = args.Required("id"),
        BaseVersion = Version(args, "base-version"),
        DocumentHash = Document(args),
        DocumentFormat = Format(args),
        Terms = Terms(args),
    });

    public static int Dissolve(Arguments args, CliContext context) => Submit(args, context, () => new DissolvePayload
    {
        ContractId = args.Required("id"),
        Version = Version(args, "version"),
        DocumentHash = Document(args),
        Basis = Named<DissolutionBasis>(args, "basis"),
        EffectiveDate = Date(args, "effective") ?? throw new UsageException("missing --effective"),
    });

    public static int Terminate(Arguments args, CliContext context) => Submit(args, context, () => new TerminatePayload
    {
        ContractId = args.Required("id"),
        Version = Version(args, "version"),
        DocumentHash = Document(args),
        Reason = Named<TerminationReason>(args, "reason"),
        EffectiveDate = Date(args, "effective") ?? throw new UsageException("missing --effective"),
    });

    public static int UploadPaper(Arguments args, CliContext context) => Submit(args, context, () => new UploadPaperPayload
    {
        ContractId = args.Required("id"),
        ScanHash = Document(args),
        ScanFormat = Format(args),
        EmployerCreditCode = args.Required("employer-credit-code"),
        WorkerCommitment = Hash(args, "worker-commitment"),
        Terms = Terms(args),
        PaperSignedOn = Date(args, "signed-on") ?? throw new UsageException("missing --signed-on"),
        AttestationReference = args.Optional("attestation"),
    });

    public static int Show(Arguments args, CliContext context)
    {
        var node = NodeUrl(args, context);
        var id = args.Positional("CONTRACT-ID");
        args.EnsureAllRead();
        var contract = WithNode(node, c => c.GetContractAsync(id)) ?? throw new NegativeAnswerException($"no contract {id} on {node}");
        var r = contract.Record;
        var output = context.Out;
        output.WriteLine($"contract {r.ContractId}: {r.Status}, evidence {r.EvidenceGrade}, version in force {r.EffectiveVersion}");
        output.WriteLine($"  employer {r.EmployerCreditCode}, worker commitment {Hex(r.WorkerCommitment)}");
        if (r.ClosedOn != 0) output.WriteLine($"  closed on {r.ClosedOn} ({r.ClosureDetailName})");
        foreach (var v in r.Versions)
            output.WriteLine($"  v{v.Number} {v.CreatedBy}: document {Hex(v.DocumentHash)} {v.DocumentFormat}, {v.Terms.Type} {v.Terms.Start}-{v.Terms.End}, employer signed {v.EmployerSigned}, worker signed {v.WorkerSigned}");
        foreach (var tx in contract.History)
            output.WriteLine($"  height {tx.Height} {tx.BlockTime.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} tx {tx.TxId} receipt {tx.Receipt.Code}");
        return ExitCode.Ok;
    }

    private static int Submit(Arguments args, CliContext context, Func<IContractPayload> payloadFromFlags)
    {
        var node = NodeUrl(args, context);
        var payload = payloadFromFlags();
        var allowWeak = args.Flag("allow-weak-kdf");
        var noWait = args.Flag("no-wait");
        var wait = args.Int("wait", 30, 1, 300);
        var ttl = args.Int("ttl", 600, 10, 86_400);
        var keyOptions = new KeyFileOptions { AllowWeakIterations = allowWeak };
        var submitterCert = Certificate(args.Required("cert"));
        var submitterKeyPath = args.Required("key");
        var employerKeyPath = args.Optional("employer-key");
        var employerCertPath = args.Optional("employer-cert");
        var workerKeyPath = args.Optional("worker-key");
        var workerCertPath = args.Optional("worker-cert");
        var workerPubPath = args.Optional("worker-pub");
        var workerSigPath = args.Optional("worker-sig");
        var passphrase = context.Passphrase(args);
        var employerPassphrase = OtherPassphrase(args, context, "employer-passphrase-env") ?? passphrase;
        var workerPassphrase = OtherPassphrase(args, context, "worker-passphrase-env") ?? passphrase;
        args.EnsureAllRead();
        if ((employerKeyPath is null) != (employerCertPath is null)) throw new UsageException("--employer-key and --employer-cert go together");
        if (workerKeyPath is not null && workerSigPath is not null) throw new UsageException("give --worker-key or --worker-sig, not both");
        if (workerSigPath is not null && (workerPubPath is null) == (workerCertPath is null)) throw new UsageException("--worker-sig needs exactly one of --worker-pub and --worker-cert");

        var chainId = WithNode(node, c => c.GetChainInfoAsync()).ChainId;
        var builder = new TransactionBuilder(chainId, payload).WithTtl(TimeSpan.FromSeconds(ttl));
        if (employerKeyPath is not null)
        {
            using var employerKey = KeyFile.Load(employerKeyPath, employerPassphrase, keyOptions);
            builder.SignStatement(Certificate(employerCertPath!), employerKey);
        }
        if (workerKeyPath is not null)
        {
            using var workerKey = KeyFile.Load(workerKeyPath, workerPassphrase, keyOptions);
            if (workerCertPath is not null) builder.SignStatement(Certificate(workerCertPath), workerKey);
            else builder.SignStatement(workerKey);
        }
        else if (workerSigPath is not null)
        {
            var signature = FileCommands.ReadInput(workerSigPath);
            if (workerCertPath is not null) builder.AddStatementSignature(Certificate(workerCertPath), signature);
            else builder.AddStatementSignature(Sm2PublicKey.FromPem(FileCommands.ReadText(workerPubPath!)), signature);
        }
        using var submitterKey = KeyFile.Load(submitterKeyPath, passphrase, keyOptions);
        var envelope = builder.Build(submitterCert, submitterKey);

        var txId = WithNode(node, c => c.SubmitAsync(envelope));
        context.Out.WriteLine($"submitted {txId}");
        if (noWait) return ExitCode.Ok;
        var committed = WithNode(node, c => c.WaitForCommitAsync(txId, TimeSpan.FromSeconds(wait)));
        if (!committed.Succeeded)
            throw new NegativeAnswerException($"tx {txId} committed at height {committed.Height} but refused by the chaincode: {committed.Receipt.Code}: {committed.Receipt.Message}");
        var warnings = committed.Receipt.Warnings.Count == 0 ? "" : $" (warnings: {string.Join(", ", committed.Receipt.Warnings)})";
        context.Out.WriteLine($"committed at height {committed.Height}: {payload.Action} {payload.ContractId} version {payload.StatementVersion}{warnings}");
        return ExitCode.Ok;
    }

    /// <summary>--node (or the devnet's first validator), --transport-ca, --insecure.</summary>
    internal static NodeTarget NodeUrl(Arguments args, CliContext context) => NodeTarget.Read(args, context);

    /// <summary>
    /// One call to a node; a refusal or an unreachable node becomes one line: bad input (exit 2) when the node
    /// called the request malformed, otherwise a negative answer (exit 1). Both name the ErrorCode when there is one.
    /// </summary>
    internal static T WithNode<T>(NodeTarget node, Func<LedgerClient, Task<T>> call)
    {
        using var client = node.Connect();
        try
        {
            return call(client).GetAwaiter().GetResult();
        }
        catch (LedgerClientException e) when (e.Status == StatusCode.InvalidArgument)
        {
            throw new UsageException($"node {node} refused the request: {e.Message}");
        }
        catch (LedgerClientException e)
        {
            throw new NegativeAnswerException($"node {node}: {e.Message}");
        }
    }

    private static string? OtherPassphrase(Arguments args, CliContext context, string option)
    {
        var variable = args.Optional(option);
        if (variable is null) return null;
        var value = context.Environment(variable);
        return string.IsNullOrEmpty(value) ? throw new UsageException($"environment variable {variable} is not set") : value;
    }

    private static LedgerCertificate Certificate(string path) => LedgerCertificate.FromPem(FileCommands.ReadText(path));

    private static Hash32 Document(Arguments args)
    {
        var file = args.Optional("document");
        var hash = args.Optional("document-hash");
        if ((file is null) == (hash is null)) throw new UsageException("give exactly one of --document FILE and --document-hash SM3");
        if (hash is not null) return ParseHash(hash, "document-hash");
        using var stream = FileCommands.OpenInput(file!);
        return Sm3.Hash(stream);
    }

    private static Hash32 Hash(Arguments args, string option) => ParseHash(args.Required(option), option);

    internal static Hash32 ParseHash(string text, string option) =>
        Hash32.TryParse(text, out var hash) ? hash : throw new UsageException($"--{option} must be 64 hex digits (an SM3 hash)");

    private static uint Version(Arguments args, string option) => (uint)args.Int(option, 0, 1, int.MaxValue) is var v and > 0 ? v : throw new UsageException($"missing --{option}");

    private static DocumentFormat Format(Arguments args) => Named<DocumentFormat>(args, "format");

    private static ContractTerms Terms(Arguments args) => new()
    {
        Type = Named<ContractType>(args, "type"),
        Start = Date(args, "start") ?? throw new UsageException("missing --start"),
        End = Date(args, "end"),
        ProbationEnd = Date(args, "probation-end"),
        PlaceOfWork = args.Required("place"),
        Industry = args.Required("industry"),
        ModelTextId = args.Optional("model-text"),
    };

    private static ContractDate? Date(Arguments args, string option)
    {
        var text = args.Optional(option);
        if (text is null) return null;
        return ContractDate.TryParse(text, out var date) ? date : throw new UsageException($"--{option} must be a date yyyy-mm-dd, got '{text}'");
    }

    /// <summary>An enum value by its name in kebab case (art36-agreement, fixed-term, pdf); never by number, never Unspecified.</summary>
    private static T Named<T>(Arguments args, string option) where T : struct, Enum
    {
        var text = args.Required(option);
        var name = text.Replace("-", "", StringComparison.Ordinal);
        if (name.Length > 0 && char.IsAsciiLetter(name[0]) && Enum.TryParse<T>(name, ignoreCase: true, out var value) && Convert.ToInt32(value, CultureInfo.InvariantCulture) != 0)
            return value;
        var names = Enum.GetNames<T>().Skip(1).Select(Kebab);
        throw new UsageException($"--{option} must be one of {string.Join(", ", names)}; got '{text}'");
    }

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) && !char.IsUpper(pascal[i - 1]) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Hex(Google.Protobuf.ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
