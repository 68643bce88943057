using Ledger.Core;
using Ledger.Core.Wire;
using Ledger.Crypto;

namespace Ledger.Signer.Audit;

/// <summary>
/// One record of the audit log: who (holder key id), what (kind, statement hash, result code), when (unix ms), which
/// challenge, from where (the gRPC peer), chained to the record before. <see cref="Hash"/> = SM3(prev ‖ canonical),
/// the canonical form being the protobuf-style encoding of fields 1-8 (<see cref="Canonical"/>).
/// </summary>
public sealed record AuditRecord(
    ulong Sequence,
    long Time,
    Hash32? HolderKeyId,
    AuditEventKind Kind,
    Hash32? StatementHash,
    byte[] ChallengeId,
    string Client,
    ErrorCode Code,
    Hash32 Prev)
{
    public static readonly Hash32 GenesisPrev = new(new byte[Hash32.Size]);

    public Hash32 Hash { get; } = ComputeHash(Prev, Sequence, Time, HolderKeyId, Kind, StatementHash, ChallengeId, Client, Code);

    public byte[] Canonical() => Encode(Sequence, Time, HolderKeyId, Kind, StatementHash, ChallengeId, Client, Code);

    private static byte[] Encode(ulong sequence, long time, Hash32? holder, AuditEventKind kind, Hash32? statement, byte[] challenge, string client, ErrorCode code)
    {
        var w = new ProtoWriter(160);
        w.WriteUInt64(1, sequence);
        w.WriteInt64(2, time);
        if (holder is { } h) w.WriteHash(3, h);
        w.WriteUInt32(4, (uint)kind);
        if (statement is { } s) w.WriteHash(5, s);
        w.WriteBytes(6, challenge);
        w.WriteString(7, client);
        w.WriteUInt32(8, (uint)code);
        return w.ToArray();
    }

    private static Hash32 ComputeHash(Hash32 prev, ulong sequence, long time, Hash32? holder, AuditEventKind kind, Hash32? statement, byte[] challenge, string client, ErrorCode code)
    {
        var canonical = Encode(sequence, time, holder, kind, statement, challenge, client, code);
        var input = new byte[Hash32.Size + canonical.Length];
        prev.CopyTo(input);
        canonical.CopyTo(input, Hash32.Size);
        return Sm3.Hash(input);
    }
}
