using System.Text;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Reports.Pdf;
using Ledger.TestKit;
using Ledger.TestKit.Builders;

namespace Ledger.Reports.Tests;

/// <summary>The bureau's SM2 signature on a report: embedded and detached, and every way to break it.</summary>
public class ReportSignatureTests
{
    private static ReportFixture F => ReportFixture.Instance;
    private static readonly Lazy<SignedReport> Signed = new(() => ReportSignature.Sign(ReportPdfWriter.Render(F.Report()), F.Issuer));

    private static ReportCheck Check(byte[] file, byte[]? detached = null, GenesisDocument? genesis = null) =>
        ReportSignature.Verify(file, genesis ?? F.Network.Genesis, ReportFixture.Now, detached);

    [Test]
    public void A_signed_report_verifies_embedded_and_detached_and_names_its_issuer()
    {
        var check = Check(Signed.Value.Pdf, Signed.Value.DetachedSignature);

        Assert.That(check.Result, Is.EqualTo(ValidationResult.Valid), check.Result.ToString());
        Assert.That(check.Issuer!.CommonName, Is.EqualTo("Guangzhou HRSS Bureau (reports)"));
        Assert.That(check.SignedLength, Is.EqualTo(Signed.Value.SignedLength));
    }

    [Test]
    public void A_signed_report_is_still_a_pdf_a_viewer_opens()
    {
        Poppler.Require();
        var dir = Directory.CreateTempSubdirectory("ledger-report-").FullName;
        try
        {
            var path = Path.Combine(dir, "signed.pdf");
            File.WriteAllBytes(path, Signed.Value.Pdf);
            var info = ProcessRunner.Run("/usr/bin/pdfinfo", [path], dir);
            Assert.That(info.ExitCode, Is.Zero, info.StdErr);
            Assert.That(info.StdErr, Is.Empty, "no syntax warnings");
            Assert.That(info.StdOut, Does.Match(@"Pages:\s+1\b"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Changing_any_single_byte_of_the_report_breaks_it()
    {
        var pdf = Signed.Value.Pdf;
        var rng = new Random(12345);
        var positions = new[] { 0, 9, Signed.Value.SignedLength / 2, Signed.Value.SignedLength - 1 }
            .Concat(Enumerable.Range(0, 12).Select(_ => rng.Next(pdf.Length)));
        foreach (var position in positions)
        {
            var tampered = (byte[])pdf.Clone();
            tampered[position] ^= 0x01;
            Assert.That(Check(tampered).IsValid, Is.False, $"byte {position} of {pdf.Length}");
        }
    }

    [Test]
    public void Bytes_appended_after_the_signature_are_refused()
    {
        // An incremental update appended to a signed PDF could change what a viewer shows: the block must end the file.
        var appended = Signed.Value.Pdf.Concat(Encoding.ASCII.GetBytes("1 0 obj\n<<>>\nendobj\n%%EOF\n")).ToArray();

        Assert.That(Check(appended).Result.Code, Is.EqualTo(ErrorCode.ReportNotSigned));
    }

    [Test]
    public void An_unsigned_pdf_is_not_a_signed_report()
    {
        Assert.That(Check(ReportPdfWriter.Render(F.Report())).Result.Code, Is.EqualTo(ErrorCode.ReportNotSigned));
        Assert.That(Check([]).Result.Code, Is.EqualTo(ErrorCode.ReportNotSigned));
    }

    [Test]
    public void The_detached_signature_of_another_report_does_not_hold()
    {
        var other = ReportSignature.Sign(ReportPdfWriter.Render(F.Report(file: new MemoryStream(F.Document), fileName: "contract.pdf")), F.Issuer);

        Assert.That(Check(Signed.Value.Pdf, other.DetachedSignature).Result.Code, Is.EqualTo(ErrorCode.ReportSignatureInvalid));
    }

    [Test]
    public void A_report_signed_by_someone_outside_the_consortium_or_not_a_bureau_is_refused()
    {
        var pdf = ReportPdfWriter.Render(F.Report());
        var foreign = TestNetwork.Create(1).Issue("Impostor Bureau", Role.Bureau);
        var employer = F.Network.Employer;

        Assert.That(Check(ReportSignature.Sign(pdf, new ReportIssuer(foreign.Certificate, foreign.Key)).Pdf).Result.Code, Is.EqualTo(ErrorCode.UntrustedCertificate));
        Assert.That(Check(ReportSignature.Sign(pdf, new ReportIssuer(employer.Certificate, employer.Key)).Pdf).Result.Code, Is.EqualTo(ErrorCode.WrongCertificateRole));
        Assert.That(Check(Signed.Value.Pdf, genesis: TestNetwork.Create(1).Genesis).Result.Code, Is.EqualTo(ErrorCode.UntrustedCertificate));
    }

    [Test]
    public void Openssl_verifies_the_detached_signature_over_the_signed_bytes()
    {
        OpenSsl.Require();
        var dir = Directory.CreateTempSubdirectory("ledger-report-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "signed-part.pdf"), Signed.Value.Pdf[..Signed.Value.SignedLength]);
            File.WriteAllBytes(Path.Combine(dir, "report.sig"), Signed.Value.DetachedSignature);
            File.WriteAllText(Path.Combine(dir, "bureau.pem"), F.Issuer.Certificate.PublicKey.ToPem());

            var outcome = OpenSsl.Run(dir, "pkeyutl", "-verify", "-pubin", "-inkey", "bureau.pem", "-rawin", "-digest", "sm3",
                "-in", "signed-part.pdf", "-sigfile", "report.sig", "-pkeyopt", "distid:1234567812345678");

            Assert.That(outcome.ExitCode, Is.Zero, outcome.StdOut + outcome.StdErr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
