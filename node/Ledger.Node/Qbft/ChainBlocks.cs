using Ledger.Chain.Production;
using Ledger.Chain.Validation;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Node.Qbft;

/// <summary>
/// The consensus ports for blocks, over the chain: proposals from <see cref="ProposalBuilder"/>, checks, commits and
/// imports by <see cref="BlockImporter"/> (whose rules live in Ledger.Chain.Validation).
/// </summary>
public sealed class ChainBlocks(ProposalBuilder builder, BlockImporter importer) : IBlockProposer, IProposalValidator, IBlockCommitter
{
    public ProposedBlock? CreateProposal(ulong height, uint round) =>
        builder.Build(height, round) is { } executed ? new ProposedBlock(executed.BlockHash, executed.Block.Encode()) : null;

    public ValidationResult Validate(ulong height, uint round, ProposedBlock block, bool reproposal) =>
        importer.ValidateProposal(height, round, block.Hash, block.Bytes, reproposal);

    public void Commit(ulong height, uint round, ProposedBlock block, CommitCertificate certificate)
    {
        var result = importer.CommitDecided(block.Hash, block.Bytes, certificate);
        if (!result.IsValid) throw new LedgerException(result.Code, $"decided block {block.Hash} cannot be executed here: {result.Reason}");
    }
}
