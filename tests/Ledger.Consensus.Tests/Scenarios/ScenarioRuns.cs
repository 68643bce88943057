using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.Simulation;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>Helpers shared by the scenario tests: run, check, and name validators by role.</summary>
internal static class ScenarioRuns
{
    /// <summary>Runs a scenario and returns the checker's violations (the caller asserts on them).</summary>
    public static (SimulationResult Result, List<string> Violations) Run(Scenario scenario, ISimKeys? keys = null)
    {
        keys ??= new FakeKeyRing(scenario.Validators);
        var result = Simulator.Run(scenario, keys);
        return (result, SafetyChecker.Check(result, keys));
    }

    /// <summary>The validator index of proposer(height, round).</summary>
    public static int ProposerIndex(ISimKeys keys, ulong height, uint round)
    {
        var id = new ValidatorView(keys.Validators).Proposer(height, round);
        return keys.Validators.ToList().IndexOf(id);
    }

    /// <summary>Evidence any instance holds against a validator that runs honestly on a single instance: must never exist.</summary>
    public static List<string> EvidenceAgainstHonest(SimulationResult result)
    {
        var honest = result.HonestNodes.Select(n => n.Identity).ToHashSet();
        return result.Nodes.SelectMany(n => n.AllEvidence().Select(e => (n, e)))
            .Where(x => honest.Contains(x.e.Validator))
            .Select(x => $"{x.n.Name} holds evidence against honest {x.e.Validator.ToHex()[..8]} ({x.e.Type} {x.e.Height}/{x.e.Round})").ToList();
    }

    public static IEnumerable<EquivocationEvidence> AllEvidence(SimulationResult result) => result.Nodes.SelectMany(n => n.AllEvidence());

    public static Hash32 IdOf(ISimKeys keys, int validator) => keys.Validators[validator];
}
