using Ledger.Core.Contracts;
using Ledger.Core.Transactions;

namespace Ledger.Analytics.Facts;

/// <summary>
/// A contract as the indexer follows it (a row of <c>contracts</c>): enough of the chaincode's lifecycle to tell when a
/// version comes into force. The chain already refused every tx that broke the lifecycle; this only replays successes.
/// </summary>
public sealed class ContractState
{
    public required string ContractId { get; init; }
    public required string EmployerCreditCode { get; init; }
    public required byte[] WorkerPseudonym { get; init; }
    public ContractStatus Status { get; set; }
    public int LatestVersion { get; set; }
    public ContractAction LatestCreatedBy { get; set; }
    public bool LatestEmployerSigned { get; set; }
    public bool LatestWorkerSigned { get; set; }
    public int EffectiveVersion { get; set; }
    public required ContractType Type { get; set; }
    public required DateOnly Start { get; set; }
    public DateOnly? End { get; set; }
    public DateOnly? ProbationEnd { get; set; }
    public required string PlaceOfWork { get; set; }
    public required string Industry { get; set; }
    public bool Paper { get; init; }
    public DateTimeOffset? ConcludedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Takes the terms of a newly proposed version.</summary>
    public void Propose(int version, ContractAction createdBy, ContractTerms terms)
    {
        LatestVersion = version;
        LatestCreatedBy = createdBy;
        LatestEmployerSigned = false;
        LatestWorkerSigned = false;
        Type = terms.Type;
        Start = ToDate(terms.Start);
        End = terms.End is { } end ? ToDate(end) : null;
        ProbationEnd = terms.ProbationEnd is { } probation ? ToDate(probation) : null;
        PlaceOfWork = terms.PlaceOfWork;
        Industry = terms.Industry;
    }

    public int? TermDays => End is { } end ? end.DayNumber - Start.DayNumber + 1 : null;

    public static DateOnly ToDate(ContractDate date) => new(date.Year, date.Month, date.Day);
}
