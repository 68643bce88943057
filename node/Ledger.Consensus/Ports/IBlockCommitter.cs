using Ledger.Consensus.Messages;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Ports;

/// <summary>Stores a decided block with its certificate. Must be durable when it returns: the engine then marks the height completed in its WAL and moves on.</summary>
public interface IBlockCommitter
{
    void Commit(ulong height, uint round, ProposedBlock block, CommitCertificate certificate);
}
