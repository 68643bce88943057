namespace Ledger.Anchor;

/// <summary>A checkpoint as the contract holds it, with the external block that took it.</summary>
public sealed record AnchoredCheckpoint(Checkpoint Checkpoint, ulong ExternalBlock, DateTimeOffset ExternalTime);
