using Ledger.Consensus.Ports;

namespace Ledger.Consensus.Signing;

/// <summary>A watermark that lives as long as the process (tests, and the default of <see cref="ConsensusPorts"/>): it still keeps one engine's signatures in order.</summary>
public sealed class InMemorySigningWatermark(SigningPosition? initial = null) : ISigningWatermark
{
    public SigningPosition? Highest { get; private set; } = initial;

    public void Advance(SigningPosition position) => Highest = position;
}
