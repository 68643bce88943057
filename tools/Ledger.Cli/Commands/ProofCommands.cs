using System.CommandLine;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Core.Transactions;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger proof verify</c> checks a proof.json offline against genesis.json (ARCHITECTURE §8): exit 0 valid,
/// 1 invalid with the reason, 2 when a file is unreadable or malformed. <c>ledger proof get</c> fetches one from a node.
/// </summary>
public static class ProofCommands
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static IEnumerable<Command> Commands(CliContext context)
    {
        var proofArgument = CliOptions.Positional("PROOF", "proof.json, as ledger proof get or the explorer writes it");
        var genesisOption = CliOptions.Required("--genesis", "FILE", "genesis.json of the chain: the trust anchor");
        var fileOption = CliOptions.Optional("--file", "FILE", "the contract document: checks its SM3 is the anchored hash");
        var verify = new Command("verify", "check a proof offline, trusting no node: exit 0 valid, 1 invalid (with the reason), 2 unreadable")
            { proofArgument, genesisOption, fileOption };
        verify.SetAction(p => Verify(p.GetValue(proofArgument)!, p.GetValue(genesisOption)!, p.GetValue(fileOption), context));

        var node = new NodeOptions();
        var txOption = CliOptions.Hash("--tx", "the committed tx's id", required: true);
        var outOption = CliOptions.Required("--out", "FILE", "where to write proof.json");
        var get = new Command("get", "fetch the evidence proof of a committed tx from a node") { txOption, outOption };
        node.AddTo(get);
        get.SetAction(p => Get(node.Read(p, context), p.GetValue(txOption)!.Value, p.GetValue(outOption)!, context));

        yield return new Command("proof", "evidence proofs (ARCHITECTURE §8)") { get, verify };
    }

    private static int Verify(string proofPath, string genesisPath, string? filePath, CliContext context)
    {

        // Malformed input is exit 2 (a LedgerException from parsing); only a well-formed proof that fails is exit 1.
        var proof = EvidenceProof.FromJson(FileCommands.ReadText(proofPath));
        var verifier = new EvidenceVerifier(GenesisDocument.FromJson(FileCommands.ReadText(genesisPath)));
        using var file = filePath is null ? null : FileCommands.OpenInput(filePath);
        var report = verifier.Verify(proof, file);
        if (!report.IsValid) throw new NegativeAnswerException($"proof invalid: {report.Result.Code}: {report.Result.Reason}");

        var output = context.Out;
        output.WriteLine($"proof valid: tx {report.TxId} committed on chain {report.ChainId} at height {report.Height}, {report.BlockTime!.Value.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm:ss} (UTC+8)");
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
        return ExitCode.Ok;
    }

    private static int Get(NodeTarget node, Hash32 txId, string output, CliContext context)
    {
        var proof = ContractCommands.WithNode(node, c => c.GetEvidenceAsync(txId)) ?? throw new NegativeAnswerException($"tx {txId} is not committed on {node}");
        File.WriteAllText(output, proof.ToJson());
        context.Out.WriteLine($"wrote {output}: proof of tx {txId} (check it with: ledger proof verify {output} --genesis genesis.json)");
        return ExitCode.Ok;
    }
}
