using Ledger.Node.Grpc;
using Ledger.Node.Qbft;

namespace Ledger.Node.Hosting;

/// <summary>
/// One piece of equivocation evidence as /equivocations serves it: two conflicting messages signed by one validator
/// for the same height, round and type, each as its signed payload (hex), so anyone can check both signatures.
/// </summary>
public sealed record EquivocationReport(string Validator, ulong Height, uint Round, string Type, string First, string Second)
{
    public static EquivocationReport Of(Equivocation e) =>
        new(e.Validator.ToHex(), e.Height, e.Round, e.Type, Convert.ToHexStringLower(e.First), Convert.ToHexStringLower(e.Second));
}

/// <summary>The evidence a consortium node's QBFT engine holds (none on a solo node: no driver).</summary>
public sealed class DriverEquivocations(ConsensusDriver? driver) : IEquivocationSource
{
    public async Task<IReadOnlyList<Equivocation>> ListAsync(CancellationToken cancellationToken)
    {
        if (driver is null) return [];
        IReadOnlyList<Equivocation> result = [];
        // The engine's evidence list belongs to its loop: copy it there.
        await driver.RunOnLoopAsync(engine => result = engine.Equivocations
            .Select(e => new Equivocation(e.Validator, e.Height, e.Round, e.Type.ToString(), e.First.Encode(), e.Second.Encode()))
            .ToArray()).WaitAsync(cancellationToken);
        return result;
    }
}
