namespace Ledger.Chain.Admission;

/// <summary>Limits admission enforces beyond the wire format's.</summary>
public sealed record AdmissionOptions
{
    /// <summary>How far ahead a tx's expiry may be: bounds how long a (submitter, nonce) must be remembered in the pool.</summary>
    public TimeSpan MaxTimeToLive { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How many verified txs are remembered by id, so one seen again (resubmitted, gossiped) is not verified twice.</summary>
    public int VerifiedCacheCapacity { get; init; } = 100_000;
}
