using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Crypto;

namespace Ledger.Cli.Commands;

/// <summary><c>ledger find --hash SM3 | --file FILE</c>: the committed txs that anchored a document; exit 1 when none did.</summary>
public static class FindCommands
{
    public static int Find(Arguments args, CliContext context)
    {
        var node = ContractCommands.NodeUrl(args, context);
        var hashText = args.Optional("hash");
        var file = args.Optional("file");
        args.EnsureAllRead();
        if ((hashText is null) == (file is null)) throw new UsageException("give exactly one of --hash SM3 and --file FILE");
        Hash32 hash;
        if (hashText is not null)
        {
            hash = ContractCommands.ParseHash(hashText, "hash");
        }
        else
        {
            using var stream = FileCommands.OpenInput(file!);
            hash = Sm3.Hash(stream);
        }

        var found = ContractCommands.WithNode(node, c => c.FindByDocumentHashAsync(hash));
        if (found.Count == 0) throw new NegativeAnswerException($"document {hash} is not anchored on {node}");
        context.Out.WriteLine($"document {hash}:");
        foreach (var tx in found)
        {
            var payload = ContractPayloads.Decode(tx.Envelope.Body);
            context.Out.WriteLine($"  height {tx.Height} {tx.BlockTime.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss} {payload.Action} {payload.ContractId} version {payload.StatementVersion} tx {tx.TxId} receipt {tx.Receipt.Code}");
        }
        return ExitCode.Ok;
    }
}
