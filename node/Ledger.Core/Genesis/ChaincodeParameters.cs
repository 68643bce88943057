namespace Ledger.Core.Genesis;

/// <summary>
/// genesis.json's <c>chaincode</c>: the jurisdiction the labour-contract chaincode serves. Execution depends on it, so it is
/// the chain's, fixed in genesis, never a node's setting. Absent in a genesis written before it existed: the Guangdong
/// preset (province 44, Dongguan and Zhongshan without counties).
/// </summary>
public sealed record ChaincodeParameters
{
    /// <summary>The province every place of work lies in, as a 12-digit division code (e.g. 440000000000).</summary>
    public required string Province { get; init; }

    /// <summary>Prefecture-level cities without counties (12-digit codes), whose places of work may be given at city level.</summary>
    public IReadOnlyList<string> CitiesWithoutCounties { get; init; } = [];
}
