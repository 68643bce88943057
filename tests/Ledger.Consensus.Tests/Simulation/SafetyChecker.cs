using Ledger.Consensus.Ports;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>
/// The invariants checked from outside after every run, independently of the engine's own checks:
/// at most one block per height across all instances; every stored block certified by a quorum of distinct validators'
/// valid seals and linked to its parent; no acknowledged block lost; honest live nodes at the target with equal chains.
/// Returns the violations, so a test can also assert that it does fire.
/// </summary>
public static class SafetyChecker
{
    public static List<string> Check(SimulationResult result, IValidatorKeys keys)
    {
        var violations = new List<string>();
        CheckForks(result, violations);
        foreach (var node in result.Nodes) CheckChain(node, keys, violations);
        CheckAcknowledged(result, violations);
        CheckConvergence(result, violations);
        return violations;
    }

    private static void CheckForks(SimulationResult result, List<string> violations)
    {
        var byHeight = result.Nodes.SelectMany(n => n.Chain.Blocks.Select(b => (Node: n, Block: b))).GroupBy(x => x.Block.Height);
        foreach (var height in byHeight)
        {
            var distinct = height.GroupBy(x => x.Block.Block.Hash).ToList();
            if (distinct.Count > 1)
                violations.Add($"fork at height {height.Key}: " + string.Join(" vs ", distinct.Select(d => $"{d.Key.ToHex()[..8]} on [{string.Join(",", d.Select(x => x.Node.Name))}]")));
        }
    }

    private static void CheckChain(SimNode node, IValidatorKeys keys, List<string> violations)
    {
        var parent = Hash32.Zero;
        foreach (var block in node.Chain.Blocks)
        {
            var where = $"{node.Name} height {block.Height}";
            if (FakeBlock.HashOf(block.Block.Bytes) != block.Block.Hash) violations.Add($"{where}: block hash does not match its bytes");
            if (block.Content.Parent != parent) violations.Add($"{where}: parent is not the previous block");
            parent = block.Block.Hash;
            var problem = CertificateProblem(block, keys);
            if (problem is not null) violations.Add($"{where}: {problem}");
        }
    }

    private static string? CertificateProblem(CommittedBlock block, IValidatorKeys keys)
    {
        var certificate = block.Certificate;
        if (certificate.Height != block.Height || certificate.BlockHash != block.Block.Hash) return "certificate names another block";
        var validators = keys.ValidatorsAt(block.Height).ToHashSet();
        var quorum = (int)Math.Ceiling(2.0 * validators.Count / 3.0);
        var message = CommitSeal.SigningMessage(Simulator.ChainId, certificate.Height, certificate.Round, certificate.BlockHash);
        var sealers = new HashSet<Hash32>();
        foreach (var seal in certificate.Seals)
        {
            if (!validators.Contains(seal.Validator)) return $"seal by non-validator {seal.Validator}";
            if (!sealers.Add(seal.Validator)) return $"two seals by {seal.Validator}";
            if (!keys.Verify(seal.Validator, message, seal.Signature.Span)) return $"seal by {seal.Validator} does not verify";
        }
        return sealers.Count >= quorum ? null : $"{sealers.Count} seals, quorum is {quorum}";
    }

    private static void CheckAcknowledged(SimulationResult result, List<string> violations)
    {
        foreach (var node in result.Nodes)
            foreach (var acked in node.Acknowledged)
                if (node.Chain.Height < acked.Height || node.Chain.Blocks[(int)acked.Height - 1].Block.Hash != acked.Block.Hash)
                    violations.Add($"{node.Name} lost acknowledged block {acked.Height}");
        var honest = result.HonestNodes.Where(n => !n.Retired).ToList();
        if (honest.Count == 0) return;
        var common = honest.Min(n => n.Chain.Height);
        var ackedTxs = result.Nodes.SelectMany(n => n.Acknowledged).Where(b => b.Height <= common).SelectMany(b => b.Content.Txs).ToHashSet();
        foreach (var node in honest)
        {
            var present = node.Chain.Blocks.Take((int)common).SelectMany(b => b.Content.Txs).ToHashSet();
            var lost = ackedTxs.Where(t => !present.Contains(t)).ToList();
            if (lost.Count > 0) violations.Add($"{node.Name} lacks acknowledged txs {string.Join(",", lost.Take(5))}");
        }
    }

    private static void CheckConvergence(SimulationResult result, List<string> violations)
    {
        var target = result.Scenario.TargetHeight;
        var honest = result.HonestNodes.Where(n => !n.Retired).ToList();
        foreach (var node in honest.Where(n => !n.Alive)) violations.Add($"{node.Name} is down at the end");
        foreach (var node in honest.Where(n => n.Chain.Height < target))
            violations.Add($"{node.Name} stuck at height {node.Chain.Height} (target {target}, round {node.Engine?.Round})");
        for (var h = 0; h < (int)target; h++)
        {
            var hashes = honest.Where(n => n.Chain.Height > (ulong)h).Select(n => n.Chain.Blocks[h].Block.Hash).Distinct().Count();
            if (hashes > 1) violations.Add($"honest nodes disagree at height {h + 1}");
        }
    }
}
