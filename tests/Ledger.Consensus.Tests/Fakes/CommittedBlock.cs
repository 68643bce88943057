using Ledger.Consensus.Messages;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.Fakes;

public sealed record CommittedBlock(ulong Height, ProposedBlock Block, CommitCertificate Certificate, bool BySync)
{
    public FakeBlock Content => FakeBlock.Parse(Block.Bytes) ?? throw new InvalidOperationException("not a fake block");
}
