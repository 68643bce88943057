using Ledger.Core;
using Ledger.Core.Wire;
using Ledger.Crypto;

namespace Ledger.Signer.Audit;

/// <summary>
/// One record of the audit log: who (holder key id), what (kind, statement hash, result code), when (unix ms), which
/// challenge, from where (the gRPC peer), chained to the record before. <see cref="Hash"/> = SM3(prev ‖ canonical),
/// the canonical form being the protobuf-style encoding of fields 1-8, and 9-10 when an operator acted
/// (<see cref="Canonical"/>): an enrolment and a bureau read name the operator's certificate, its SM3 id and subject, so the
/// bureau can say who enrolled whom. Records without an operator hash exactly as before those fields existed.
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
    Hash32 Prev,
    Hash32? OperatorCertificateId = null,
    string? OperatorSubject = null)
{
    public static readonly Hash32 GenesisPrev = new(new byte[Hash32.Size]);

    public Hash32 Hash { get; } = ComputeHash(Prev, Sequence, Time, HolderKeyId, Kind, StatementHash, ChallengeId, Client, Code, OperatorCertificateId, OperatorSubject);

    public byte[] Canonical() => Encode(Sequence, Time, HolderKeyId, Kind, StatementHash, ChallengeId, Client, Code, OperatorCertificateId, OperatorSubject);

    private static byte[] Encode(ulong sequence, long time, Hash32? holder, AuditEventKind kind, Hash32? statement, byte[] challenge, string client, ErrorCode code,
        Hash32? operatorId, string? operatorSubject)
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
        if (operatorId is { } o) w.WriteHash(9, o);
        if (!string.IsNullOrEmpty(operatorSubject)) w.WriteString(10, operatorSubject);
        return w.ToArray();
    }

    private static Hash32 ComputeHash(Hash32 prev, ulong sequence, long time, Hash32? holder, AuditEventKind kind, Hash32? statement, byte[] challenge, string client, ErrorCode code,
        Hash32? operatorId, string? operatorSubject)
    {
        var canonical = Encode(sequence, time, holder, kind, statement, challenge, client, code, operatorId, operatorSubject);
        var input = new byte[Hash32.Size + canonical.Length];
        prev.CopyTo(input);
        canonical.CopyTo(input, Hash32.Size);
        return Sm3.Hash(input);
    }
}
