namespace Ledger.Analytics.Facts;

/// <summary>What one block contributes: its facts in scope, in tx order, and every contract whose state it changed.</summary>
public sealed class BlockFacts
{
    public List<LifecycleFact> Facts { get; } = [];

    public Dictionary<string, ContractState> Touched { get; } = new(StringComparer.Ordinal);
}
