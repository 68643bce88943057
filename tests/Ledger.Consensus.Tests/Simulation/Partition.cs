namespace Ledger.Consensus.Tests.Simulation;

/// <summary>From <c>FromMs</c> until <c>UntilMs</c>, instances only reach instances of their own group.</summary>
public sealed record Partition(long FromMs, long UntilMs, IReadOnlyList<int> GroupOfInstance)
{
    public bool Separates(int a, int b, long now) => now >= FromMs && now < UntilMs && GroupOfInstance[a] != GroupOfInstance[b];
}
