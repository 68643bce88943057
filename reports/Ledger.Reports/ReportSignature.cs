using System.Globalization;
using System.Text;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Reports;

/// <summary>
/// Signs a report PDF with the issuing bureau's SM2 key, and checks such a signature. The signature covers the PDF
/// exactly as rendered (bytes 0..N); it is appended after them as PDF comment lines, followed by a repeat of the
/// PDF's own <c>startxref</c> and <c>%%EOF</c>, so the file stays a valid PDF that any viewer opens unchanged:
/// <code>
/// %LEDGER-REPORT-SIGNATURE-V1
/// %signed-length N
/// %certificate BASE64(DER)
/// %signature BASE64(DER SM2 signature, signer id 1234567812345678, over bytes 0..N)
/// startxref
/// (the PDF's xref offset)
/// %%EOF
/// </code>
/// The same signature is also given detached, so <c>head -c N report.pdf | openssl pkeyutl -verify ... -rawin -digest sm3</c>
/// checks it without our software. The issuer's certificate must chain to the genesis root with the Bureau role.
/// </summary>
public static class ReportSignature
{
    private const string Marker = "\n%LEDGER-REPORT-SIGNATURE-V1\n";
    private const int MaxBlockLength = 16 * 1024;

    public static SignedReport Sign(byte[] pdf, ReportIssuer issuer)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(issuer);
        var signature = issuer.Key.Sign(pdf);
        var block = new StringBuilder()
            .Append(Marker)
            .Append(CultureInfo.InvariantCulture, $"%signed-length {pdf.Length}\n")
            .Append(CultureInfo.InvariantCulture, $"%certificate {Convert.ToBase64String(issuer.Certificate.Der)}\n")
            .Append(CultureInfo.InvariantCulture, $"%signature {Convert.ToBase64String(signature)}\n")
            .Append(CultureInfo.InvariantCulture, $"startxref\n{XrefOffset(pdf)}\n%%EOF\n")
            .ToString();
        return new SignedReport([.. pdf, .. Encoding.ASCII.GetBytes(block)], signature, pdf.Length);
    }

    /// <summary>
    /// Checks a signed report against <paramref name="genesis"/>: the embedded signature over the signed bytes, the
    /// issuer's certificate (Bureau, chaining to the genesis root, valid now), and, when given, the detached signature.
    /// </summary>
    public static ReportCheck Verify(byte[] file, GenesisDocument genesis, DateTimeOffset now, byte[]? detachedSignature = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(genesis);
        if (!TryReadBlock(file, out var signedLength, out var certificateDer, out var signature, out var problem))
            return new ReportCheck(ValidationResult.Fail(ErrorCode.ReportNotSigned, problem), null, 0);

        LedgerCertificate issuer;
        try
        {
            issuer = LedgerCertificate.FromDer(certificateDer);
        }
        catch (LedgerException e)
        {
            return new ReportCheck(ValidationResult.Fail(ErrorCode.ReportNotSigned, $"the signer's certificate does not decode: {e.Message}"), null, signedLength);
        }
        var signed = file.AsSpan(0, signedLength);
        var embedded = issuer.PublicKey.VerifyDetailed(signed, signature);
        if (!embedded.IsValid)
            return new ReportCheck(ValidationResult.Fail(ErrorCode.ReportSignatureInvalid, $"the report's bytes are not what {issuer.CommonName} signed: {embedded.Reason}"), issuer, signedLength);
        if (detachedSignature is not null)
        {
            var detached = issuer.PublicKey.VerifyDetailed(signed, detachedSignature);
            if (!detached.IsValid)
                return new ReportCheck(ValidationResult.Fail(ErrorCode.ReportSignatureInvalid, $"the detached signature does not hold for this report: {detached.Reason}"), issuer, signedLength);
        }
        if (issuer.Role != Role.Bureau)
            return new ReportCheck(ValidationResult.Fail(ErrorCode.WrongCertificateRole, $"{issuer.Subject} has role {issuer.Role}; reports are issued by a bureau"), issuer, signedLength);
        var root = LedgerCertificate.FromPem(genesis.RootCertificate);
        var trust = new CertificateChainValidator(root, genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem), []);
        var chain = trust.Validate(issuer, now);
        return new ReportCheck(chain.IsValid ? ValidationResult.Valid : chain, issuer, signedLength);
    }

    private static bool TryReadBlock(byte[] file, out int signedLength, out byte[] certificate, out byte[] signature, out string problem)
    {
        signedLength = 0;
        certificate = signature = [];
        var tailStart = Math.Max(0, file.Length - MaxBlockLength);
        var tail = Encoding.ASCII.GetString(file, tailStart, file.Length - tailStart);
        var at = tail.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || tail.IndexOf(Marker, at + 1, StringComparison.Ordinal) >= 0)
        {
            problem = at < 0 ? "no signature block: this is not a report signed by a ledger bureau" : "more than one signature block";
            return false;
        }
        var lines = tail[(at + Marker.Length)..].Split('\n');
        // Nothing may follow the block: bytes appended after it (an incremental update) would change what a viewer shows.
        if (lines.Length != 7 || lines[6].Length != 0 || !lines[0].StartsWith("%signed-length ", StringComparison.Ordinal) || !lines[1].StartsWith("%certificate ", StringComparison.Ordinal)
            || !lines[2].StartsWith("%signature ", StringComparison.Ordinal) || lines[3] != "startxref" || lines[5] != "%%EOF")
        {
            problem = "the signature block is malformed";
            return false;
        }
        if (!int.TryParse(lines[0]["%signed-length ".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out signedLength) || signedLength != tailStart + at)
        {
            problem = "the signature block does not start where it says the signed bytes end";
            return false;
        }
        try
        {
            certificate = Convert.FromBase64String(lines[1]["%certificate ".Length..]);
            signature = Convert.FromBase64String(lines[2]["%signature ".Length..]);
        }
        catch (FormatException)
        {
            problem = "the signature block's certificate or signature is not base64";
            return false;
        }
        problem = "";
        return true;
    }

    /// <summary>The offset after the PDF's last <c>startxref</c>, repeated so readers still find the cross-reference table.</summary>
    private static long XrefOffset(byte[] pdf)
    {
        var tail = Encoding.ASCII.GetString(pdf, Math.Max(0, pdf.Length - 1024), Math.Min(1024, pdf.Length));
        var at = tail.LastIndexOf("startxref", StringComparison.Ordinal);
        if (at < 0) throw new LedgerException(ErrorCode.InvalidFieldValue, "the PDF has no startxref");
        var digits = new string(tail[(at + "startxref".Length)..].SkipWhile(char.IsWhiteSpace).TakeWhile(char.IsAsciiDigit).ToArray());
        return long.Parse(digits, CultureInfo.InvariantCulture);
    }
}
