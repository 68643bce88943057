using Ledger.Core.Wire;

namespace Ledger.Core.Blocks;

/// <summary>
/// Proof that a quorum of validators committed a block:
/// <c>CommitCertificate { height = 1, round = 2, block_hash = 3, repeated seals = 4 }</c>.
/// </summary>
public sealed record CommitCertificate
{
    public required ulong Height { get; init; }
    public required uint Round { get; init; }
    public required Hash32 BlockHash { get; init; }
    public required IReadOnlyList<CommitSeal> Seals { get; init; }

    public byte[] Encode()
    {
        var w = new ProtoWriter(64 + 110 * Seals.Count);
        w.WriteUInt64(1, Height);
        w.WriteUInt32(2, Round);
        w.WriteHash(3, BlockHash);
        foreach (var seal in Seals)
        {
            var inner = new ProtoWriter(112);
            seal.WriteTo(inner);
            w.WriteLengthDelimited(4, inner.WrittenSpan);
        }
        return w.ToArray();
    }

    public static CommitCertificate Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > EncodingLimits.MaxSeals * 128 + 64)
            throw new LedgerException(ErrorCode.Oversize, $"CommitCertificate: {bytes.Length} bytes");
        var r = new ProtoReader(bytes, "CommitCertificate", 4);
        ulong height = 0;
        uint round = 0;
        Hash32? blockHash = null;
        var seals = new List<CommitSeal>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: height = r.ReadUInt64(); break;
                case 2: round = r.ReadUInt32(); break;
                case 3: blockHash = r.ReadHash(); break;
                case 4:
                    if (seals.Count == EncodingLimits.MaxSeals) throw new LedgerException(ErrorCode.Oversize, "CommitCertificate: too many seals");
                    seals.Add(CommitSeal.Decode(r.ReadLengthDelimited()));
                    break;
                default: throw r.UnknownField(field);
            }
        }
        return new CommitCertificate { Height = height, Round = round, BlockHash = blockHash ?? throw r.Missing("CommitCertificate.block_hash"), Seals = seals };
    }

    public bool Equals(CommitCertificate? other) =>
        other is not null && Height == other.Height && Round == other.Round && BlockHash == other.BlockHash && Seals.SequenceEqual(other.Seals);

    public override int GetHashCode() => HashCode.Combine(Height, Round, BlockHash);
}
