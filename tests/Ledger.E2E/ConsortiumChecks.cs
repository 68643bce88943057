using Google.Protobuf;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>Waits and end-of-run checks the fault tests of a whole consortium share.</summary>
internal static class ConsortiumChecks
{
    public static Task Until(Func<bool> condition, TimeSpan timeout, string what) => UntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>
    /// Waits for a condition, polling, with a generous deadline: a loaded machine is slow, not wrong. A node that cannot be
    /// reached yet (UNAVAILABLE: just restarted, and the client's channel still backing off from the old connection) is
    /// "not yet", until the deadline.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string? unreachable = null;
            try
            {
                if (await condition()) return;
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Unavailable)
            {
                unreachable = e.Status.Detail;
            }
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {timeout.TotalSeconds:0} s waiting for: {what}{(unreachable is null ? "" : $" (the node is unreachable: {unreachable})")}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Every node converges on one height and one block at each height (no fork), and every acknowledged tx (hex id)
    /// committed successfully on every node. The height they converged on.
    /// </summary>
    public static async Task<ulong> OneChainWithEveryAcknowledgedTxAsync(IReadOnlyList<Rpc.LedgerService.LedgerServiceClient> clients, IEnumerable<string> acknowledged, TimeSpan convergence)
    {
        var deadline = DateTime.UtcNow + convergence;
        ulong[] heights;
        while (true)
        {
            heights = await Task.WhenAll(clients.Select(async c => (await c.GetChainInfoAsync(new Rpc.GetChainInfoRequest())).Height));
            if (heights.Distinct().Count() == 1 || DateTime.UtcNow > deadline) break;
            await Task.Delay(250);
        }
        Assert.That(heights.Distinct().Count(), Is.EqualTo(1), $"heights converge: {string.Join(", ", heights)}");
        for (ulong h = 1; h <= heights[0]; h++)
        {
            var hashes = await Task.WhenAll(clients.Select(async c => (await c.GetBlockAsync(new Rpc.GetBlockRequest { Height = h })).BlockHash.ToBase64()));
            Assert.That(hashes.Distinct().Count(), Is.EqualTo(1), $"one block at height {h}");
        }
        foreach (var client in clients)
            foreach (var tx in acknowledged)
                Assert.That((await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = ByteString.CopyFrom(Convert.FromHexString(tx)), TimeoutMs = 60_000 })).ReceiptCode, Is.Zero,
                    $"acknowledged tx {tx} committed on every node");
        return heights[0];
    }
}
