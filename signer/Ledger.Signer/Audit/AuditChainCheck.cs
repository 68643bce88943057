using Ledger.Core;

namespace Ledger.Signer.Audit;

/// <summary>
/// The result of checking the audit log: intact or the first record that does not check and why; the head; and,
/// when an anchor was read back from the ledger, whether the log still holds the anchored hash at that sequence.
/// </summary>
public sealed record AuditChainCheck(bool Intact, ulong HeadSequence, Hash32 HeadHash, ulong FirstBadSequence, string Reason)
{
    public bool Anchored { get; init; }
    public ulong AnchoredSequence { get; init; }
    public Hash32? AnchoredHash { get; init; }
    public Hash32? AnchorTxId { get; init; }
    public bool AnchorMatches { get; init; }

    /// <summary>Intact, and any anchor found agrees.</summary>
    public bool Valid => Intact && (!Anchored || AnchorMatches);

    /// <summary>The typed reason: <see cref="ErrorCode.AuditLogTampered"/>, <see cref="ErrorCode.AuditAnchorMismatch"/> or Ok.</summary>
    public ErrorCode Code => !Intact ? ErrorCode.AuditLogTampered : Anchored && !AnchorMatches ? ErrorCode.AuditAnchorMismatch : ErrorCode.Ok;
}
