using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Signing;

/// <summary>
/// Decides, before any new signature, whether this validator may sign at a slot: not while held (a started validator
/// that has not yet learned how far its peers committed), not at a height its peers already committed (the floor: catch
/// up first, then sign), and only above its <see cref="ISigningWatermark"/>, which it advances — durably — before saying yes.
/// </summary>
internal sealed class SigningGate(ISigningWatermark watermark, bool held)
{
    public bool Held { get; private set; } = held;

    public ISigningWatermark Watermark => watermark;

    /// <summary>Heights at or below it are committed elsewhere: nothing new is signed there.</summary>
    public ulong Floor { get; private set; }

    public void Release() => Held = false;

    public void RaiseFloor(ulong height) => Floor = Math.Max(Floor, height);

    /// <summary>May <paramref name="position"/> be signed now? On yes, the watermark is already on disk.</summary>
    public ValidationResult Authorize(SigningPosition position)
    {
        if (Held) return ValidationResult.Fail(ErrorCode.SigningHeld, "waiting to learn how far the peers committed");
        if (position.Height <= Floor) return ValidationResult.Fail(ErrorCode.SigningHeld, $"height {position.Height} is committed by the peers (up to {Floor})");
        var highest = watermark.Highest;
        var verdict = SigningPosition.MayFollow(highest, position);
        if (verdict.IsValid && highest != position) watermark.Advance(position);
        return verdict;
    }
}
