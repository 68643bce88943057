using System.CommandLine;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Core.Transactions;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger proof verify</c> checks a proof.json or a contract bundle offline against genesis.json (ARCHITECTURE §8): exit 0
/// valid, 1 invalid with the reason, 2 when a file is unreadable or malformed. <c>ledger proof get</c> fetches either from a node.
/// </summary>
public static class ProofCommands
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static IEnumerable<Command> Commands(CliContext context)
    {
        var proofArgument = CliOptions.Positional("PROOF", "proof.json, as ledger proof get or the explorer writes it");
        var genesisOption = CliOptions.Required("--genesis", "FILE", "genesis.json of the chain: the trust anchor");
        var fileOption = CliOptions.Optional("--file", "FILE", "the contract document: checks its SM3 is the anchored hash (tx proofs)");
        var againstOption = CliOptions.Optional("--against", "FILE", "a newer valid proof (tx or contract bundle): a contract bundle below its height is stale");
        var verify = new Command("verify", "check a tx proof or a contract bundle offline, trusting no node: exit 0 valid, 1 invalid (with the reason), 2 unreadable")
            { proofArgument, genesisOption, fileOption, againstOption };
        verify.SetAction(p => Verify(p.GetValue(proofArgument)!, p.GetValue(genesisOption)!, p.GetValue(fileOption), p.GetValue(againstOption), context));

        var node = new NodeOptions();
        var txOption = CliOptions.Hash("--tx", "the committed tx's id");
        var contractOption = CliOptions.ContractId("--contract", "a contract: fetch its bundle (every event, and its record's state proof)", required: false);
        var heightOption = new Option<ulong?>("--height")
        {
            HelpName = "H",
            Description = "with --contract: the certified height of the state proof (default: the latest)",
            CustomParser = r => ulong.TryParse(r.Tokens.Count == 1 ? r.Tokens[0].Value : "", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var h) && h > 0
                ? h
                : Refuse(r, $"--height must be a block height from 1 on, got '{(r.Tokens.Count == 1 ? r.Tokens[0].Value : "")}'"),
        };
        var documentOption = CliOptions.Hash("--document", "a document anchored in a paper batch (its SM3): fetch the seal's proof with its batch path");
        var outOption = CliOptions.Required("--out", "FILE", "where to write proof.json or the bundle");
        var caller = new CallerOptions(required: true);
        var get = new Command("get", "fetch the evidence proof of a committed tx (--tx), of a document in a paper batch (--document), or a contract bundle (--contract) from a node (a signed call by a reader of the contract)")
            { txOption, documentOption, contractOption, heightOption, outOption };
        node.AddTo(get);
        foreach (var option in caller.All) get.Add(option);
        get.SetAction(p =>
        {
            var tx = p.GetValue(txOption);
            var contract = p.GetValue(contractOption);
            var height = p.GetValue(heightOption);
            var document = p.GetValue(documentOption);
            if ((tx is null ? 0 : 1) + (contract is null ? 0 : 1) + (document is null ? 0 : 1) != 1)
                throw new UsageException("give --tx TXID, --document SM3 or --contract ID (one of them)");
            if (height is not null && contract is null) throw new UsageException("--height goes with --contract");
            var identity = caller.Identity(p, context)!;
            if (document is { } d) return GetBatchDocument(node.Read(p, context), d, p.GetValue(outOption)!, identity, context);
            return contract is not null
                ? GetContract(node.Read(p, context), contract, height, p.GetValue(outOption)!, identity, context)
                : Get(node.Read(p, context), tx!.Value, p.GetValue(outOption)!, identity, context);
        });

        var proof = new Command("proof", "evidence proofs (ARCHITECTURE §8)") { get, verify };
        foreach (var command in ReportCommands.Commands(context)) proof.Subcommands.Add(command);
        yield return proof;
    }

    private static ulong? Refuse(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }

    private static int Verify(string proofPath, string genesisPath, string? filePath, string? againstPath, CliContext context)
    {
        // Malformed input is exit 2 (a LedgerException from parsing); only a well-formed proof that fails is exit 1.
        var text = FileCommands.ReadText(proofPath);
        var verifier = new EvidenceVerifier(GenesisDocument.FromJson(FileCommands.ReadText(genesisPath)));
        if (ContractEvidence.IsContractEvidence(text))
        {
            if (filePath is not null) throw new UsageException("--file goes with a tx proof; a contract bundle lists the document hash of every event");
            return VerifyContract(ContractEvidence.FromJson(text), verifier, againstPath is null ? null : KnownHeight(againstPath, verifier), context);
        }
        if (againstPath is not null) throw new UsageException("--against goes with a contract bundle");
        var proof = EvidenceProof.FromJson(text);
        using var file = filePath is null ? null : FileCommands.OpenInput(filePath);
        var report = verifier.Verify(proof, file);
        if (!report.IsValid) throw new NegativeAnswerException($"proof invalid: {report.Result.Code}: {report.Result.Reason}");

        var output = context.Out;
        output.WriteLine($"proof valid: tx {report.TxId} committed on chain {report.ChainId} at height {report.Height}, {report.BlockTime!.Value.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm:ss} (UTC+8)");
        if (report.AttestedTime is { } attested) output.WriteLine($"  time: {attested}");
        if (report.PaperBatch is { } batch)
            output.WriteLine($"  paper batch {batch.Root}: document {batch.Index + 1} of {batch.Count}, contract {report.ContractId}, evidence {batch.Grade}, document SM3 {report.DocumentHash}{(report.FileMatches ? " = the given file" : "")}");
        else
            output.WriteLine($"  contract {report.ContractId}: {report.Action} version {report.Version}, document SM3 {report.DocumentHash}{(report.FileMatches ? " = the given file" : "")}");
        output.WriteLine(report.ReceiptCode == ErrorCode.Ok
            ? "  outcome: accepted by the chaincode"
            : $"  outcome: recorded as refused by the chaincode: {report.ReceiptCode}: {report.ReceiptMessage}");
        foreach (var signer in report.Signers)
        {
            var who = signer.Subject is null ? $"worker key {signer.KeyId}" : $"{signer.Role} {signer.Subject}";
            var what = signer.Scope == EndorsementScope.Body ? "submitted" : "consented";
            output.WriteLine($"  {what}: {who}");
        }
        output.WriteLine($"  sealed by {report.SealedBy.Count} of {report.ValidatorCount} validators: {string.Join(", ", report.SealedBy.Select(v => v.Subject))}");
        if (report.Anchor is { } anchor) output.WriteLine($"  anchored: {anchor}");
        return ExitCode.Ok;
    }

    /// <summary>
    /// The height of a newer proof (tx proof or contract bundle) the reader holds, after checking it: a contract bundle
    /// below it is stale. A proof that does not verify is no evidence of a later height.
    /// </summary>
    private static ulong KnownHeight(string path, EvidenceVerifier verifier)
    {
        var text = FileCommands.ReadText(path);
        if (ContractEvidence.IsContractEvidence(text))
        {
            var report = new ContractEvidenceVerifier(verifier).Verify(ContractEvidence.FromJson(text));
            if (!report.IsValid) throw new NegativeAnswerException($"--against {path} is not valid evidence: {report.Result.Code}: {report.Result.Reason}");
            return report.Height!.Value;
        }
        var proof = verifier.Verify(EvidenceProof.FromJson(text));
        if (!proof.IsValid) throw new NegativeAnswerException($"--against {path} is not valid evidence: {proof.Result.Code}: {proof.Result.Reason}");
        return proof.Height!.Value;
    }

    private static int VerifyContract(ContractEvidence bundle, EvidenceVerifier verifier, ulong? knownHeight, CliContext context)
    {
        var report = new ContractEvidenceVerifier(verifier).Verify(bundle, knownHeight);
        if (!report.IsValid) throw new NegativeAnswerException($"contract bundle invalid: {report.Result.Code}: {report.Result.Reason}");
        var output = context.Out;
        var at = $"height {report.Height}, {report.BlockTime!.Value.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm:ss} (UTC+8)";
        if (!report.Found)
        {
            output.WriteLine($"contract bundle valid: contract {report.ContractId} has no record on chain {report.ChainId} at {at} (proof of absence)");
        }
        else
        {
            output.WriteLine($"contract bundle valid: contract {report.ContractId} on chain {report.ChainId} at {at}: {report.Status}, version in force {report.EffectiveVersion}");
            output.WriteLine($"  {report.Events.Count} events, none missing, in order:");
            foreach (var e in report.Events)
            {
                output.WriteLine($"  - {e.Action} version {e.Version} at height {e.Height}, {e.BlockTime!.Value.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm:ss}: tx {e.TxId}, document SM3 {e.DocumentHash}");
                if (e.Anchor is { } anchor) output.WriteLine($"    anchored: {anchor}");
            }
        }
        output.WriteLine($"  state proved at height {report.Height}, sealed by {report.SealedBy.Count} of {report.ValidatorCount} validators: {string.Join(", ", report.SealedBy.Select(v => v.Subject))}");
        output.WriteLine(knownHeight is null
            ? "  it says nothing about later blocks: check a newer bundle, or this one --against a later proof"
            : $"  no later than the given height {knownHeight}: current as of it");
        return ExitCode.Ok;
    }

    private static int GetContract(NodeTarget node, string contractId, ulong? height, string output, Ledger.Client.Access.CallerIdentity identity, CliContext context)
    {
        var bundle = ContractCommands.WithNode(node, c => c.GetContractEvidenceAsync(contractId, height), identity);
        File.WriteAllText(output, bundle.ToJson());
        var what = bundle.Record is null ? "proof that it has no record" : $"{bundle.Events.Count} events and the record";
        context.Out.WriteLine($"wrote {output}: contract {contractId} at height {bundle.Height}, {what} (check it with: ledger proof verify {output} --genesis genesis.json)");
        return ExitCode.Ok;
    }

    private static int GetBatchDocument(NodeTarget node, Hash32 document, string output, Ledger.Client.Access.CallerIdentity identity, CliContext context)
    {
        var proof = ContractCommands.WithNode(node, c => c.GetBatchDocumentEvidenceAsync(document), identity)
            ?? throw new NegativeAnswerException($"document {document} is not anchored in a sealed paper batch on {node}");
        File.WriteAllText(output, proof.ToJson());
        context.Out.WriteLine($"wrote {output}: proof of document {document}, {proof.Batch!.Index + 1} of {proof.Batch.Count} in the paper batch sealed by tx {proof.TxId} (check it with: ledger proof verify {output} --genesis genesis.json)");
        return ExitCode.Ok;
    }

    private static int Get(NodeTarget node, Hash32 txId, string output, Ledger.Client.Access.CallerIdentity identity, CliContext context)
    {
        var proof = ContractCommands.WithNode(node, c => c.GetEvidenceAsync(txId), identity) ?? throw new NegativeAnswerException($"tx {txId} is not committed on {node}");
        File.WriteAllText(output, proof.ToJson());
        context.Out.WriteLine($"wrote {output}: proof of tx {txId} (check it with: ledger proof verify {output} --genesis genesis.json)");
        return ExitCode.Ok;
    }
}
