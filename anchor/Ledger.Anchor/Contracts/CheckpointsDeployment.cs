using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Ledger.Anchor.Contracts;

/// <summary>Deploys Checkpoints with its only writer.</summary>
public sealed class CheckpointsDeployment : ContractDeploymentMessage
{
    public CheckpointsDeployment() : base(CheckpointsArtifact.Bytecode)
    {
    }

    [Parameter("address", "writer_", 1)]
    public string Writer { get; set; } = "";
}
