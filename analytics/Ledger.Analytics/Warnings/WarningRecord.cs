namespace Ledger.Analytics.Warnings;

/// <summary>A raised warning as stored, with the facts that are its evidence.</summary>
public sealed record WarningRecord(long Id, string Kind, string Division, string? Employer, long RaisedHeight, DateTimeOffset RaisedAt, DateTimeOffset WindowStart,
    int Observed, int Reference, string Detail, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, IReadOnlyList<WarningEvidenceRow> Evidence);

/// <summary>One fact behind a warning: the contract and the tx that dissolved or terminated it.</summary>
public sealed record WarningEvidenceRow(string ContractId, byte[] TxId, long Height, int TxIndex);
