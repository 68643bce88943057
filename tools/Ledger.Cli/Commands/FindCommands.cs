using System.CommandLine;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Crypto;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger find --hash SM3 | --file FILE [--cert PEM --key KEYFILE]</c>: the committed txs that anchored a document; exit 1
/// when none did. Anonymous: the public view (when, action, outcome, contract status); signed: the txs in full.
/// </summary>
public static class FindCommands
{
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var node = new NodeOptions();
        var hashOption = CliOptions.Hash("--hash", "the document's SM3");
        var fileOption = CliOptions.Optional("--file", "FILE", "the document (its SM3 is computed here; the file is not sent)");
        var caller = new CallerOptions(required: false);
        var find = new Command("find", "the committed txs that anchored a document; exit 1 if none did") { hashOption, fileOption };
        node.AddTo(find);
        foreach (var option in caller.All) find.Add(option);
        find.SetAction(p => Find(node.Read(p, context), p.GetValue(hashOption), p.GetValue(fileOption), () => caller.Identity(p, context), context));
        yield return find;
    }

    private static int Find(NodeTarget node, Hash32? hashGiven, string? file, Func<Ledger.Client.Access.CallerIdentity?> caller, CliContext context)
    {
        if ((hashGiven is null) == (file is null)) throw new UsageException("give exactly one of --hash SM3 and --file FILE");
        Hash32 hash;
        if (hashGiven is { } given)
        {
            hash = given;
        }
        else
        {
            using var stream = FileCommands.OpenInput(file!);
            hash = Sm3.Hash(stream);
        }

        var identity = caller();
        if (identity is null)
        {
            // Anonymous: the public view — anchored or not, when, with what outcome and contract status.
            var anchors = ContractCommands.WithNode(node, c => c.FindAnchorsAsync(hash));
            var batches = ContractCommands.WithNode(node, c => c.FindBatchDocumentsAsync(hash));
            if (anchors.Count == 0 && batches.Count == 0) throw new NegativeAnswerException($"document {hash} is not anchored on {node}");
            context.Out.WriteLine($"document {hash}:");
            foreach (var a in anchors)
                context.Out.WriteLine($"  height {a.Height} {a.BlockTime.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} {a.Action} contract status {a.ContractStatus} tx {a.TxId} receipt {a.ReceiptCode}");
            WriteBatches(batches, context);
            return ExitCode.Ok;
        }
        var found = ContractCommands.WithNode(node, c => c.FindByDocumentHashAsync(hash), identity);
        var inBatches = ContractCommands.WithNode(node, c => c.FindBatchDocumentsAsync(hash), identity);
        if (found.Count == 0 && inBatches.Count == 0) throw new NegativeAnswerException($"document {hash} is not anchored on {node}");
        context.Out.WriteLine($"document {hash}:");
        WriteBatches(inBatches, context);
        foreach (var tx in found)
        {
            var payload = ContractPayloads.Decode(tx.Envelope.Body);
            context.Out.WriteLine($"  height {tx.Height} {tx.BlockTime.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} {payload.Action} {payload.ContractId} version {payload.StatementVersion} tx {tx.TxId} receipt {tx.Receipt.Code}");
        }
        return ExitCode.Ok;
    }

    private static void WriteBatches(IEnumerable<Ledger.Proto.V1.BatchDocument> batches, CliContext context)
    {
        foreach (var b in batches)
        {
            var when = DateTimeOffset.FromUnixTimeMilliseconds(b.BlockTime).ToOffset(TimeSpan.FromHours(8));
            var detail = b.Redacted ? "" : $" {b.ContractId} {b.Grade}, document {b.LeafIndex + 1} of";
            context.Out.WriteLine($"  height {b.Height} {when:yyyy-MM-dd HH:mm:ss} paper batch ({b.Status}):{detail} {b.DocumentCount} documents, seal tx {Convert.ToHexStringLower(b.SealTxId.Span)}");
        }
    }
}
