using Ledger.Core;
using Ledger.Core.Wire;

namespace Ledger.Consensus.Messages;

/// <summary>
/// Proof that a block was prepared in a round: the block and a quorum of PREPAREs for its digest in that round.
/// <c>PreparedCertificate { round = 1, block_hash = 2, block = 3, repeated prepares = 4 }</c>.
/// A validator keeps its highest one per height (in its WAL before it sends the COMMIT), and puts it in its ROUND-CHANGEs.
/// </summary>
public sealed record PreparedCertificate(uint Round, ProposedBlock Block, IReadOnlyList<SignedPayload> Prepares)
{
    public byte[] Encode()
    {
        var w = new ProtoWriter(Block.Bytes.Length + 64 + 256 * Prepares.Count);
        w.WriteUInt32(1, Round);
        w.WriteHash(2, Block.Hash);
        w.WriteBytes(3, Block.Bytes);
        foreach (var p in Prepares) w.WriteLengthDelimited(4, p.Encode());
        return w.ToArray();
    }

    public static PreparedCertificate Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "PreparedCertificate", 4);
        uint round = 0;
        Hash32? hash = null;
        byte[]? block = null;
        var prepares = new List<SignedPayload>();
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: round = r.ReadUInt32(); break;
                case 2: hash = r.ReadHash(); break;
                case 3: block = r.ReadBytes().ToArray(); break;
                case 4:
                    if (prepares.Count == EncodingLimits.MaxSeals) throw new LedgerException(ErrorCode.Oversize, "PreparedCertificate: too many prepares");
                    prepares.Add(SignedPayload.Decode(r.ReadLengthDelimited()));
                    break;
                default: throw r.UnknownField(field);
            }
        }
        var proposed = new ProposedBlock(hash ?? throw r.Missing("PreparedCertificate.block_hash"), block ?? throw r.Missing("PreparedCertificate.block"));
        return new PreparedCertificate(round, proposed, prepares.Count > 0 ? prepares : throw r.Missing("PreparedCertificate.prepares"));
    }
}
