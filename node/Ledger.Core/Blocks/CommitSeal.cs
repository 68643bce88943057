using Ledger.Core.Wire;

namespace Ledger.Core.Blocks;

/// <summary>One validator's SM2 seal on a block: <c>CommitSeal { validator = 1, signature = 2 }</c>.</summary>
public sealed record CommitSeal(Hash32 Validator, ReadOnlyMemory<byte> Signature)
{
    public static ReadOnlySpan<byte> SigningPrefix => "ledger/commit-seal/v1\n"u8;

    /// <summary>The bytes a seal signs: the prefix, then <c>{ chain_id = 1, height = 2, round = 3, block_hash = 4 }</c>.</summary>
    public static byte[] SigningMessage(string chainId, ulong height, uint round, Hash32 blockHash)
    {
        var w = new ProtoWriter(128);
        w.WriteString(1, chainId);
        w.WriteUInt64(2, height);
        w.WriteUInt32(3, round);
        w.WriteHash(4, blockHash);
        var message = new byte[SigningPrefix.Length + w.Length];
        SigningPrefix.CopyTo(message);
        w.WrittenSpan.CopyTo(message.AsSpan(SigningPrefix.Length));
        return message;
    }

    internal void WriteTo(ProtoWriter w)
    {
        w.WriteHash(1, Validator);
        w.WriteBytes(2, Signature.Span);
    }

    internal static CommitSeal Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "CommitSeal");
        Hash32? validator = null;
        ReadOnlyMemory<byte> signature = default;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: validator = r.ReadHash(); break;
                case 2:
                    var sig = r.ReadBytes();
                    if (sig.Length > EncodingLimits.MaxSignatureBytes) throw new LedgerException(ErrorCode.Oversize, $"CommitSeal: signature of {sig.Length} bytes");
                    signature = sig.ToArray();
                    break;
                default: throw r.UnknownField(field);
            }
        }
        return new CommitSeal(validator ?? throw r.Missing("CommitSeal.validator"), signature.IsEmpty ? throw r.Missing("CommitSeal.signature") : signature);
    }

    public bool Equals(CommitSeal? other) => other is not null && Validator == other.Validator && Signature.Span.SequenceEqual(other.Signature.Span);

    public override int GetHashCode() => Validator.GetHashCode();
}
