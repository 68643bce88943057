using Ledger.Core.Contracts;
using Ledger.Core.Transactions;

namespace Ledger.Analytics.Facts;

/// <summary>One lifecycle event of one contract (a row of <c>lifecycle_facts</c>); the worker only by pseudonym.</summary>
public sealed record LifecycleFact
{
    public required long Height { get; init; }
    public required int TxIndex { get; init; }
    public required byte[] TxId { get; init; }
    public required DateTimeOffset BlockTime { get; init; }
    public required ContractAction Action { get; init; }
    public required string ContractId { get; init; }
    public required int Version { get; init; }
    public required string EmployerCreditCode { get; init; }
    /// <summary>The place of work of the version concerned, at each of the five levels.</summary>
    public required DivisionPath Division { get; init; }
    public required char IndustrySection { get; init; }
    public required string IndustryClass { get; init; }
    public required ContractType ContractType { get; init; }
    public required bool Probation { get; init; }
    public int? TermDays { get; init; }
    public DissolutionBasis? Basis { get; init; }
    public TerminationReason? Reason { get; init; }
    public DateOnly? EffectiveDate { get; init; }
    public required byte[] WorkerPseudonym { get; init; }
    public bool EmployerSigned { get; init; }
    public bool WorkerSigned { get; init; }
    /// <summary>The action that proposed the version this event brought into force; Unspecified when none came into force.</summary>
    public ContractAction Concluded { get; init; }
    public bool Opened { get; init; }
    public bool Closed { get; init; }

    /// <summary>The first day of the block time's month in China Standard Time (UTC+8), the month statistics count it in.</summary>
    public DateOnly Month => MonthOf(BlockTime);

    public static DateOnly MonthOf(DateTimeOffset time)
    {
        var local = time.ToOffset(TimeSpan.FromHours(8));
        return new DateOnly(local.Year, local.Month, 1);
    }
}
