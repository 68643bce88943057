namespace Ledger.Core.Governance;

/// <summary>
/// The chain's parameters as one committed state knows them: each one's genesis value and what governance scheduled after,
/// so anyone holding it can tell a parameter's value at any height up to that state's (what a node's chain info serves).
/// </summary>
public sealed record ParameterValues(IReadOnlyDictionary<string, ulong> Genesis, ParameterSchedule Schedule)
{
    /// <summary>The value of <paramref name="parameter"/> at <paramref name="height"/>.</summary>
    public ulong ValueAt(string parameter, ulong height) =>
        Genesis.TryGetValue(parameter, out var genesis)
            ? Schedule.ValueAt(parameter, height, genesis)
            : throw new LedgerException(ErrorCode.MissingField, $"the chain parameters name no {parameter}");
}
