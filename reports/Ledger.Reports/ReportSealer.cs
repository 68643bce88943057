namespace Ledger.Reports;

/// <summary>A validator whose seal commits the block: the bureau that runs it and its division code.</summary>
public sealed record ReportSealer(string Bureau, string Division, string CertificateId);
