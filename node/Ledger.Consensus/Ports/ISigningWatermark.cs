using Ledger.Consensus.Signing;

namespace Ledger.Consensus.Ports;

/// <summary>
/// The highest (height, round, step) this validator's key ever signed, kept where a restore of the node's store does not
/// roll it back. The engine signs nothing at or below it (except the identical message again) and advances it before a
/// new signature exists, so a validator restored from an old backup — its WAL gone — cannot sign a second, different
/// message for a slot it already signed.
/// </summary>
public interface ISigningWatermark
{
    /// <summary>What was last recorded; null when this key never signed here.</summary>
    SigningPosition? Highest { get; }

    /// <summary>Records <paramref name="position"/>; returns only once it is on disk (fsync). An exception means nothing may be signed.</summary>
    void Advance(SigningPosition position);
}
