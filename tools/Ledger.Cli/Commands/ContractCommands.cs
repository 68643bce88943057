using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using Grpc.Core;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Access;
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

    public static IEnumerable<Command> Commands(CliContext context)
    {
        var contract = new Command("contract", "integrator helpers over the SDK: build a labour-contract tx from flags, sign it, submit it, await the commit");

        {
            var id = CliOptions.ContractId("--id", "the new contract's id");
            var document = new DocumentOptions();
            var format = Format();
            var creditCode = CliOptions.CreditCode("--employer-credit-code", "the employer's unified social credit code (GB 32100, check character verified)", required: true);
            var pseudonym = WorkerPseudonym();
            var terms = new TermsOptions();
            contract.Add(Submitting(context, "register", "register a new contract, with the employer's and the worker's consent",
                [id, .. document.All, format, creditCode, pseudonym, .. terms.All],
                p => new RegisterPayload
                {
                    ContractId = p.GetValue(id)!,
                    DocumentHash = document.Hash(p),
                    DocumentFormat = p.GetValue(format)!.Value,
                    EmployerCreditCode = p.GetValue(creditCode)!.Value.Value,
                    WorkerPseudonym = p.GetValue(pseudonym)!.Value,
                    Terms = terms.Terms(p),
                }));
        }
        {
            var id = CliOptions.ContractId("--id", "the contract");
            var version = Version("--version", "the version being signed");
            var document = new DocumentOptions();
            contract.Add(Submitting(context, "sign", "a party signs a registered version (the worker's or employer's missing signature)",
                [id, version, .. document.All],
                p => new SignPayload { ContractId = p.GetValue(id)!, Version = (uint)p.GetValue(version), DocumentHash = document.Hash(p) }));
        }
        foreach (var (name, description) in new[] { ("change", "agree a change of terms: a new version on top of --base-version"), ("renew", "renew the contract: a new term on top of --base-version") })
        {
            var id = CliOptions.ContractId("--id", "the contract");
            var baseVersion = Version("--base-version", "the version in force that this one replaces");
            var document = new DocumentOptions();
            var format = Format();
            var terms = new TermsOptions();
            contract.Add(Submitting(context, name, description, [id, baseVersion, .. document.All, format, .. terms.All],
                p => name == "change"
                    ? new ChangePayload { ContractId = p.GetValue(id)!, BaseVersion = (uint)p.GetValue(baseVersion), DocumentHash = document.Hash(p), DocumentFormat = p.GetValue(format)!.Value, Terms = terms.Terms(p) }
                    : new RenewPayload { ContractId = p.GetValue(id)!, BaseVersion = (uint)p.GetValue(baseVersion), DocumentHash = document.Hash(p), DocumentFormat = p.GetValue(format)!.Value, Terms = terms.Terms(p) }));
        }
        {
            var id = CliOptions.ContractId("--id", "the contract");
            var version = Version("--version", "the version in force");
            var document = new DocumentOptions();
            var basis = CliOptions.Named<DissolutionBasis>("--basis", "the legal basis of the dissolution");
            var effective = CliOptions.Date("--effective", "the day the contract ends", required: true);
            var proposedBy = CliOptions.Named<Proposer>("--proposed-by", "who proposed an art. 36 dissolution by agreement (decides severance, art. 46(2)); only with art36-agreement", required: false);
            contract.Add(Submitting(context, "dissolve", "dissolve the contract (解除) on a legal basis", [id, version, .. document.All, basis, effective, proposedBy],
                p => new DissolvePayload
                {
                    ContractId = p.GetValue(id)!, Version = (uint)p.GetValue(version), DocumentHash = document.Hash(p), Basis = p.GetValue(basis)!.Value, EffectiveDate = p.GetValue(effective)!.Value,
                    ProposedBy = p.GetValue(proposedBy) ?? Proposer.Unspecified,
                }));
        }
        {
            var id = CliOptions.ContractId("--id", "the contract");
            var version = Version("--version", "the version in force");
            var document = new DocumentOptions();
            var reason = CliOptions.Named<TerminationReason>("--reason", "why the contract ends");
            var effective = CliOptions.Date("--effective", "the day the contract ends", required: true);
            contract.Add(Submitting(context, "terminate", "record the contract's termination (终止)", [id, version, .. document.All, reason, effective],
                p => new TerminatePayload { ContractId = p.GetValue(id)!, Version = (uint)p.GetValue(version), DocumentHash = document.Hash(p), Reason = p.GetValue(reason)!.Value, EffectiveDate = p.GetValue(effective)!.Value }));
        }
        {
            var id = CliOptions.ContractId("--id", "the new contract's id");
            var document = new DocumentOptions("the scan of the paper contract");
            var format = Format();
            var creditCode = CliOptions.CreditCode("--employer-credit-code", "the employer's unified social credit code (GB 32100, check character verified)", required: true);
            var pseudonym = WorkerPseudonym();
            var terms = new TermsOptions();
            var signedOn = CliOptions.Date("--signed-on", "the day the paper contract was signed", required: true);
            var attestation = CliOptions.Optional("--attestation", "REF", "the bureau's archive reference for the paper original (required of a bureau)");
            contract.Add(Submitting(context, "upload-paper", "anchor the scan of a contract signed on paper (in force once the worker signs too, with --worker-key/--worker-sig, or a bureau uploads it; an employer's upload alone awaits confirm-paper)",
                [id, .. document.All, format, creditCode, pseudonym, .. terms.All, signedOn, attestation],
                p => new UploadPaperPayload
                {
                    ContractId = p.GetValue(id)!,
                    ScanHash = document.Hash(p),
                    ScanFormat = p.GetValue(format)!.Value,
                    EmployerCreditCode = p.GetValue(creditCode)!.Value.Value,
                    WorkerPseudonym = p.GetValue(pseudonym)!.Value,
                    Terms = terms.Terms(p),
                    PaperSignedOn = p.GetValue(signedOn)!.Value,
                    AttestationReference = p.GetValue(attestation),
                }));
        }
        {
            var id = CliOptions.ContractId("--id", "the paper contract awaiting confirmation");
            var document = new DocumentOptions("the scan of the paper contract, as uploaded");
            var attestation = CliOptions.Optional("--attestation", "REF", "a bureau's archive reference for the paper original it checked (a bureau attests with it; nobody else gives one)");
            contract.Add(Submitting(context, "confirm-paper",
                "bring an employer's paper upload into force: the worker confirms it (--worker-key or --worker-sig, with --worker-cert) or a bureau attests it (--attestation)",
                [id, .. document.All, attestation],
                p => new ConfirmPaperPayload { ContractId = p.GetValue(id)!, ScanHash = document.Hash(p), AttestationReference = p.GetValue(attestation) }));
        }
        contract.Add(PaperBatchCommand.Create(context));
        {
            var node = new NodeOptions();
            var id = new Argument<string>("CONTRACT-ID") { Description = "the contract" };
            var caller = new CallerOptions(required: true);
            var basis = CliOptions.Named<AccessBasis>("--basis", "why a reader outside the contract's scope reads it: court-case, arbitration-case, inspection (with --case) or worker-consent (with --grant); the read is recorded on chain first", required: false);
            var reference = CliOptions.Optional("--case", "REF", "the case number or inspection reference");
            var grant = CliOptions.Hash("--grant", "the worker's consent grant (its tx id)");
            var onBehalfOf = CliOptions.Optional("--on-behalf-of", "ACCOUNT", "the account you read for, recorded with the access");
            var show = new Command("show", "a contract's record, versions and history (a signed call; outside your scope with a stated basis, recorded on chain)")
                { id, basis, reference, grant, onBehalfOf };
            node.AddTo(show);
            foreach (var option in caller.All) show.Add(option);
            show.SetAction(p => Show(node.Read(p, context), p.GetValue(id)!, caller.Identity(p, context)!,
                Basis(p.GetValue(id)!, p.GetValue(basis), p.GetValue(reference), p.GetValue(grant), p.GetValue(onBehalfOf)), context));
            contract.Add(show);
        }
        {
            var help = new Command("help", "every flag of every contract command");
            help.SetAction(p =>
            {
                // The help System.CommandLine generates for each verb, so this page cannot drift from what is parsed.
                var root = p.RootCommandResult.Command;
                foreach (var command in contract.Subcommands.Where(c => c != help))
                {
                    context.Out.WriteLine($"== ledger contract {command.Name}");
                    root.Parse(["contract", command.Name, "--help"]).Invoke(new InvocationConfiguration { Output = context.Out, Error = context.Error });
                }
                return ExitCode.Ok;
            });
            contract.Add(help);
        }
        yield return contract;
    }

    /// <summary>A command that builds a payload from its own options, adds the submitter's and the parties' signatures, submits and awaits the commit.</summary>
    private static Command Submitting(CliContext context, string name, string description, Option[] payloadOptions, Func<ParseResult, IContractPayload> payload)
    {
        var command = new Command(name, description);
        foreach (var option in payloadOptions) command.Add(option);
        var submit = new SubmitOptions();
        foreach (var option in submit.All) command.Add(option);
        command.SetAction(p => submit.Run(p, payload(p), context));
        return command;
    }

    private static Option<DocumentFormat?> Format() => CliOptions.Named<DocumentFormat>("--format", "the document's format");

    private static Option<Hash32?> WorkerPseudonym() => CliOptions.Hash("--worker-pseudonym",
        "the worker's stable pseudonym, as their Worker certificate carries it (HMAC-SM3 of the ID number under the province's key, computed by the bureau at enrolment; never the ID number itself)", required: true);

    private static Option<int> Version(string name, string description) => new(name)
    {
        HelpName = "N",
        Description = description,
        Required = true,
        CustomParser = r => int.TryParse(r.Tokens[^1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1
            ? v
            : Fail(r, $"{name} must be a version number from 1, got '{r.Tokens[^1].Value}'"),
    };

    private static int Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return 0;
    }

    private static AccessRecordPayload? Basis(string id, AccessBasis? basis, string? reference, Hash32? grant, string? onBehalfOf)
    {
        if (basis is null)
            return reference is null && grant is null ? null : throw new UsageException("--case and --grant go with --basis");
        if (basis == AccessBasis.WorkerConsent)
            return grant is { } g
                ? new AccessRecordPayload { ContractId = id, Basis = AccessBasis.WorkerConsent, GrantId = g, OnBehalfOf = onBehalfOf ?? "" }
                : throw new UsageException("--basis worker-consent needs --grant GRANT-ID (the worker's consent)");
        if (string.IsNullOrWhiteSpace(reference)) throw new UsageException($"--basis {basis} needs --case REFERENCE (the case number or inspection reference)");
        return new AccessRecordPayload { ContractId = id, Basis = basis.Value, Reference = reference, OnBehalfOf = onBehalfOf ?? "" };
    }

    private static int Show(NodeTarget node, string id, CallerIdentity identity, AccessRecordPayload? basis, CliContext context)
    {
        var contract = WithNode(node, c => basis is null ? c.GetContractAsync(id) : c.GetContractAsync(id, basis), identity)
            ?? throw new NegativeAnswerException($"no contract {id} on {node}");
        var r = contract.Record;
        var output = context.Out;
        output.WriteLine($"contract {r.ContractId}: {r.Status}, evidence {r.EvidenceGrade}, version in force {r.EffectiveVersion}");
        output.WriteLine($"  employer {r.EmployerCreditCode}, worker pseudonym {Hex(r.WorkerPseudonym)}");
        if (r.ClosedOn != 0) output.WriteLine($"  closed on {r.ClosedOn} ({r.ClosureDetailName})");
        foreach (var v in r.Versions)
            output.WriteLine($"  v{v.Number} {v.CreatedBy}: document {Hex(v.DocumentHash)} {v.DocumentFormat}, {v.Terms.Type} {v.Terms.Start}-{v.Terms.End}, employer signed {v.EmployerSigned}, worker signed {v.WorkerSigned}");
        foreach (var tx in contract.History)
            output.WriteLine($"  height {tx.Height} {tx.BlockTime.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} tx {tx.TxId} receipt {tx.Receipt.Code}");
        return ExitCode.Ok;
    }

    /// <summary>
    /// One call to a node; a refusal or an unreachable node becomes one line: bad input (exit 2) when the node
    /// called the request malformed, otherwise a negative answer (exit 1). Both name the ErrorCode when there is one.
    /// </summary>
    internal static T WithNode<T>(NodeTarget node, Func<LedgerClient, Task<T>> call, CallerIdentity? identity = null)
    {
        using var client = node.Connect(new LedgerClientOptions { Identity = identity });
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

    private static string Hex(Google.Protobuf.ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
