namespace Ledger.Anchor;

/// <summary>Where checkpoints come from: our chain's certified blocks, their times and the chain's anchoring interval.</summary>
public interface ICheckpointSource
{
    /// <summary>The checkpoint of the certified block at <paramref name="height"/> with its block time, or null while the chain is below it.</summary>
    Task<SourcedCheckpoint?> TryGetAsync(ulong height, CancellationToken cancellationToken);

    /// <summary>The block time (unix ms) of <paramref name="height"/> (0: genesis), or null while the chain is below it.</summary>
    Task<long?> BlockTimeAsync(ulong height, CancellationToken cancellationToken);

    /// <summary>The chain's anchoring interval of every height up to the head the answer was read at.</summary>
    Task<AnchorInterval> GetIntervalAsync(CancellationToken cancellationToken);
}
