using System.CommandLine;
using Ledger.Client;
using Ledger.Core.Contracts;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Cli.Commands;

/// <summary>
/// What every submitting contract command shares: the node, the submitter's key and certificate, the parties' statement
/// signatures (their key files, or a worker signature made elsewhere), the tx's lifetime and how long to await the commit.
/// </summary>
internal sealed class SubmitOptions
{
    private readonly NodeOptions _node = new();
    private readonly Option<string> _key = CliOptions.Required("--key", "KEYFILE", "the submitter's key file (signs the tx body)");
    private readonly Option<string> _cert = CliOptions.Required("--cert", "PEM", "the submitter's certificate");
    private readonly Option<string?> _passphrase = CliOptions.PassphraseEnv(what: "the key files' passphrase");
    private readonly Option<string?> _employerKey = CliOptions.Optional("--employer-key", "KEYFILE", "the employer's key file: the employer signs the contract statement");
    private readonly Option<string?> _employerCert = CliOptions.Optional("--employer-cert", "PEM", "the employer's certificate (with --employer-key)");
    private readonly Option<string?> _workerKey = CliOptions.Optional("--worker-key", "KEYFILE", "the worker's key file: the worker signs the statement (with --worker-cert)");
    private readonly Option<string?> _workerCert = CliOptions.Optional("--worker-cert", "PEM", "the worker's Worker certificate (from a city CA, naming the contract's worker pseudonym; bare keys carry no role)");
    private readonly Option<string?> _workerSig = CliOptions.Optional("--worker-sig", "SIG", "a worker statement signature made elsewhere (DER), e.g. by the signer service, with --worker-cert");
    private readonly Option<string?> _employerPassphrase = CliOptions.PassphraseEnv("--employer-passphrase-env", "the employer key file's passphrase, if not the submitter's");
    private readonly Option<string?> _workerPassphrase = CliOptions.PassphraseEnv("--worker-passphrase-env", "the worker key file's passphrase, if not the submitter's");
    private readonly Option<int> _ttl = CliOptions.Int("--ttl", "SECONDS", 600, 10, 86_400, "how long the tx may wait for a block");
    private readonly Option<int> _wait = CliOptions.Int("--wait", "SECONDS", 30, 1, 300, "how long to await the commit; exit 1 if the chaincode refused the tx");
    private readonly Option<bool> _noWait = CliOptions.Flag("--no-wait", "do not await the commit: print the tx id once the node has admitted it");
    private readonly Option<bool> _allowWeak = CliOptions.AllowWeakKdf();

    public Option[] All =>
    [
        .. _node.All, _key, _cert, _passphrase, _employerKey, _employerCert, _workerKey, _workerCert, _workerSig,
        _employerPassphrase, _workerPassphrase, _ttl, _wait, _noWait, _allowWeak,
    ];

    public int Run(ParseResult p, IContractPayload payload, CliContext context)
    {
        var node = _node.Read(p, context);
        var keyOptions = new KeyFileOptions { AllowWeakIterations = p.GetValue(_allowWeak) };
        var employerKeyPath = p.GetValue(_employerKey);
        var employerCertPath = p.GetValue(_employerCert);
        var workerKeyPath = p.GetValue(_workerKey);
        var workerCertPath = p.GetValue(_workerCert);
        var workerSigPath = p.GetValue(_workerSig);
        if ((employerKeyPath is null) != (employerCertPath is null)) throw new UsageException("--employer-key and --employer-cert go together");
        if (workerKeyPath is not null && workerSigPath is not null) throw new UsageException("give --worker-key or --worker-sig, not both");
        if ((workerKeyPath is not null || workerSigPath is not null) && workerCertPath is null)
            throw new UsageException("a worker signs with a Worker certificate: --worker-key or --worker-sig need --worker-cert (bare keys carry no role)");
        var submitterCert = Certificate(p.GetValue(_cert)!);
        var passphrase = context.Passphrase(p.GetValue(_passphrase));
        var employerPassphrase = p.GetValue(_employerPassphrase) is { } e ? context.FromEnvironment(e) : passphrase;
        var workerPassphrase = p.GetValue(_workerPassphrase) is { } w ? context.FromEnvironment(w) : passphrase;

        var chainId = ContractCommands.WithNode(node, c => c.GetChainInfoAsync()).ChainId;
        var builder = new TransactionBuilder(chainId, payload).WithTtl(TimeSpan.FromSeconds(p.GetValue(_ttl)));
        if (employerKeyPath is not null)
        {
            using var employerKey = KeyFile.Load(employerKeyPath, employerPassphrase, keyOptions);
            builder.SignStatement(Certificate(employerCertPath!), employerKey);
        }
        if (workerKeyPath is not null)
        {
            using var workerKey = KeyFile.Load(workerKeyPath, workerPassphrase, keyOptions);
            builder.SignStatement(Certificate(workerCertPath!), workerKey);
        }
        else if (workerSigPath is not null)
        {
            var signature = FileCommands.ReadInput(workerSigPath);
            builder.AddStatementSignature(Certificate(workerCertPath!), signature);
        }
        using var submitterKey = KeyFile.Load(p.GetValue(_key)!, passphrase, keyOptions);
        var envelope = builder.Build(submitterCert, submitterKey);
        // The submitter also signs its calls, so it reads its own tx's commit in full.
        var caller = new Ledger.Client.Access.CallerIdentity(submitterCert, submitterKey);

        var txId = ContractCommands.WithNode(node, c => c.SubmitAsync(envelope), caller);
        context.Out.WriteLine($"submitted {txId}");
        if (p.GetValue(_noWait)) return ExitCode.Ok;
        var committed = ContractCommands.WithNode(node, c => c.WaitForCommitAsync(txId, TimeSpan.FromSeconds(p.GetValue(_wait))), caller);
        if (!committed.Succeeded)
            throw new NegativeAnswerException($"tx {txId} committed at height {committed.Height} but refused by the chaincode: {committed.Receipt.Code}: {committed.Receipt.Message}");
        var warnings = committed.Receipt.Warnings.Count == 0 ? "" : $" (warnings: {string.Join(", ", committed.Receipt.Warnings)})";
        context.Out.WriteLine($"committed at height {committed.Height}: {payload.Action} {payload.ContractId} version {payload.StatementVersion}{warnings}");
        return ExitCode.Ok;
    }

    private static LedgerCertificate Certificate(string path) => LedgerCertificate.FromPem(FileCommands.ReadText(path));
}
