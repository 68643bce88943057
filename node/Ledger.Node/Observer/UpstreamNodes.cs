using Ledger.Client;

namespace Ledger.Node.Observer;

/// <summary>
/// The nodes an observer follows and forwards submissions to (its config's <c>upstream</c>), each through one long-lived
/// client signing its calls with the observer's certificate. Thread-safe; disposing closes the channels.
/// </summary>
public sealed class UpstreamNodes : IDisposable
{
    private readonly (string Address, LedgerClient Client)[] _nodes;

    public UpstreamNodes(IReadOnlyList<string> addresses, LedgerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0) throw new ArgumentException("an observer follows at least one node", nameof(addresses));
        _nodes = [.. addresses.Select(a => (a, LedgerClient.Connect(a, options)))];
    }

    public int Count => _nodes.Length;

    /// <summary>The <paramref name="index"/>-th node (modulo their number): where to turn after the one before failed.</summary>
    public (string Address, LedgerClient Client) this[int index] => _nodes[((index % _nodes.Length) + _nodes.Length) % _nodes.Length];

    public void Dispose()
    {
        foreach (var (_, client) in _nodes) client.Dispose();
    }
}
