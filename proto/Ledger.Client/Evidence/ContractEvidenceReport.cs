using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Client.Evidence;

/// <summary>
/// The outcome of checking a contract bundle, and when it holds, what it establishes: at certified height
/// <see cref="Height"/> (block time <see cref="BlockTime"/>) the contract had this status and exactly these events, in
/// this order — or no record at all (<see cref="Found"/> false). Nothing is vouched for when <see cref="Result"/> fails.
/// </summary>
public sealed record ContractEvidenceReport
{
    public required ValidationResult Result { get; init; }

    public bool IsValid => Result.IsValid;

    public string? ChainId { get; init; }
    public string? ContractId { get; init; }

    /// <summary>The certified height the state proof is at: the bundle says nothing about later blocks.</summary>
    public ulong? Height { get; init; }

    public Hash32? BlockHash { get; init; }
    public DateTimeOffset? BlockTime { get; init; }

    /// <summary>False: the bundle proves the contract had no record at <see cref="Height"/>.</summary>
    public bool Found { get; init; }

    public ContractStatus? Status { get; init; }

    /// <summary>The version in force at <see cref="Height"/>, 0 while none is.</summary>
    public uint EffectiveVersion { get; init; }

    /// <summary>Every event of the contract, in the order of its history, each verified as a tx proof.</summary>
    public IReadOnlyList<EvidenceReport> Events { get; init; } = [];

    /// <summary>The validators whose seals certify the block at <see cref="Height"/>.</summary>
    public IReadOnlyList<SealingValidator> SealedBy { get; init; } = [];

    public int ValidatorCount { get; init; }

    public static ContractEvidenceReport Failed(ValidationResult result) =>
        result.IsValid ? throw new ArgumentException("a failed report needs a failure", nameof(result)) : new ContractEvidenceReport { Result = result };
}
