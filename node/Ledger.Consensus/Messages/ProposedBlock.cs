namespace Ledger.Consensus.Messages;

/// <summary>
/// A block as consensus sees it: opaque bytes and the hash the proposer claims for them. Consensus never hashes a block;
/// the <see cref="Ports.IProposalValidator"/> adaptor must check that <see cref="Hash"/> is the hash of <see cref="Bytes"/>.
/// </summary>
public sealed record ProposedBlock(Ledger.Core.Hash32 Hash, byte[] Bytes)
{
    public bool Equals(ProposedBlock? other) => other is not null && Hash == other.Hash && Bytes.AsSpan().SequenceEqual(other.Bytes);

    public override int GetHashCode() => Hash.GetHashCode();
}
