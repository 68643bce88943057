namespace Ledger.Consensus.Tests.Simulation;

/// <summary>
/// What work costs one simulated node, in virtual ms of its one processor. The defaults model the guangdong preset's 22
/// validators sharing 2 cores (each about a tenth of a core): an SM2 verification ~1.3 ms, admitting a tx (two
/// endorsement signatures and certificate checks) ~6 ms, re-executing a tx of a proposed block ~3 ms.
/// </summary>
public sealed record ProcessingCost
{
    /// <summary>Each signature the engine verifies (a consensus message, a PREPARE in a certificate, a commit seal).</summary>
    public double VerifyMs { get; init; } = 1.3;

    /// <summary>Admitting one tx, from a client or by gossip.</summary>
    public double AdmitMs { get; init; } = 6;

    /// <summary>Executing one tx of a block: building a proposal, validating one, importing one by sync.</summary>
    public double ExecuteTxMs { get; init; } = 3;
}
