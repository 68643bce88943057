namespace Ledger.Anchor;

/// <summary>Where checkpoints come from: our chain's certified blocks.</summary>
public interface ICheckpointSource
{
    /// <summary>The checkpoint of the certified block at <paramref name="height"/>, or null while the chain is below it.</summary>
    Task<Checkpoint?> TryGetAsync(ulong height, CancellationToken cancellationToken);
}
