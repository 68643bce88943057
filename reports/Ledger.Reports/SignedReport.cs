namespace Ledger.Reports;

/// <summary>
/// A signed report: the PDF with its signature block appended (<see cref="Pdf"/>), and the same SM2 signature
/// detached (<see cref="DetachedSignature"/>, DER) over the first <see cref="SignedLength"/> bytes.
/// </summary>
public sealed record SignedReport(byte[] Pdf, byte[] DetachedSignature, int SignedLength);
