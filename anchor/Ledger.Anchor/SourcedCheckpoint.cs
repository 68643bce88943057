namespace Ledger.Anchor;

/// <summary>A checkpoint with the time of its block (unix ms), which decides whether a time-based checkpoint is due.</summary>
public sealed record SourcedCheckpoint(Checkpoint Checkpoint, long BlockTime);
