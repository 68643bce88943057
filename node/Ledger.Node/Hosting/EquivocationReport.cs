using Ledger.Node.Qbft;

namespace Ledger.Node.Hosting;

/// <summary>
/// One piece of equivocation evidence as /equivocations serves it: two conflicting messages signed by one validator
/// for the same height, round and type, each as its signed payload (hex), so anyone can check both signatures.
/// </summary>
public sealed record EquivocationReport(string Validator, ulong Height, uint Round, string Type, string First, string Second)
{
    public static async Task<IReadOnlyList<EquivocationReport>> CollectAsync(ConsensusDriver driver)
    {
        IReadOnlyList<EquivocationReport> result = [];
        // The engine's evidence list belongs to its loop: copy it there.
        await driver.RunOnLoopAsync(engine => result = engine.Equivocations
            .Select(e => new EquivocationReport(e.Validator.ToHex(), e.Height, e.Round, e.Type.ToString(),
                Convert.ToHexStringLower(e.First.Encode()), Convert.ToHexStringLower(e.Second.Encode())))
            .ToArray());
        return result;
    }
}
