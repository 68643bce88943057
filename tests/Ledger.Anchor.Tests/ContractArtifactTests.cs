using Ledger.Anchor.Contracts;
using Ledger.TestKit;

namespace Ledger.Anchor.Tests;

public class ContractArtifactTests
{
    [Test]
    public void The_checked_in_artifact_is_what_the_pinned_solc_makes_of_the_source()
    {
        var anchor = Path.GetDirectoryName(Path.GetDirectoryName(GanacheNode.Executable))!;
        anchor = Path.GetDirectoryName(anchor)!; // anchor/node_modules/.bin → anchor
        var outcome = ProcessRunner.Run("node", ["contracts/compile.js", "--check"], anchor, TimeSpan.FromMinutes(2));
        Assert.That(outcome.ExitCode, Is.Zero, outcome.StdErr);
    }

    [Test]
    public void The_artifact_names_the_pinned_compiler_and_carries_bytecode()
    {
        Assert.That(CheckpointsArtifact.Compiler, Does.StartWith("solc 0.8.37+"));
        Assert.That(CheckpointsArtifact.Bytecode, Does.StartWith("0x60"));
        Assert.That(CheckpointsArtifact.Abi, Does.Contain("\"anchor\"").And.Contain("\"Anchored\""));
    }
}
