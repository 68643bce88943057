using Ledger.Core;
using Ledger.Reports.Pdf;

namespace Ledger.Reports.Tests;

/// <summary>The report as a clerk receives it: one A4 page, Chinese first, fonts embedded, read back by poppler.</summary>
public class ReportPdfTests
{
    private static ReportFixture F => ReportFixture.Instance;
    private string _dir = null!;

    [SetUp]
    public void MakeDirectory()
    {
        Poppler.Require();
        _dir = Directory.CreateTempSubdirectory("ledger-report-").FullName;
    }

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string Save(byte[] pdf, string name = "report.pdf")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, pdf);
        return path;
    }

    private string Text(string pdf) => Poppler.Run("pdftotext", _dir, null, "-layout", pdf, "-");

    [Test]
    public void A_valid_proof_gives_one_page_stating_what_was_anchored_by_whom_and_when()
    {
        var report = F.Report(file: new MemoryStream(F.Document), fileName: "contract.pdf");
        var pdf = Save(ReportPdfWriter.Render(report));

        var info = Poppler.Run("pdfinfo", _dir, null, pdf);
        Assert.That(info, Does.Match(@"Pages:\s+1\b"));
        Assert.That(info, Does.Match(@"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)"));
        var text = Text(pdf);
        Assert.That(text, Does.Contain("电子劳动合同存证核验报告"));
        Assert.That(text, Does.Contain("证明成立"));
        Assert.That(text, Does.Contain(report.ReportId));
        Assert.That(text, Does.Contain(ReportFixture.ContractId));
        Assert.That(text, Does.Contain("登记 Registration"));
        Assert.That(text, Does.Contain(report.Result.DocumentHash!.Value.ToHex()));
        Assert.That(text, Does.Contain("Guangzhou Example Technology Co"));
        Assert.That(text, Does.Contain("身份不显示"));
        Assert.That(text, Does.Contain("2024-06-01 10:00:00.000 (UTC+8)"));
        Assert.That(text, Does.Contain("3 / 4"));
        Assert.That(text, Does.Contain("时间担保 Time bound"), "the PBTS bound on the block's time");
        Assert.That(text, Does.Contain($"±{report.Result.AttestedTime!.Bound.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}"));
        Assert.That(text, Does.Contain("未被链上吊销"), "the revocation check is listed");
        Assert.That(text, Does.Contain(F.GenesisFingerprint.ToHex()));
        Assert.That(text, Does.Contain("contract.pdf"));
    }

    [Test]
    public void A_report_of_a_superseded_version_says_which_version_is_in_force_and_stays_one_page()
    {
        var report = F.Report() with { SupersededBy = new Superseded(2, 2, new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero)) };
        var pdf = Save(ReportPdfWriter.Render(report));
        Assert.That(Poppler.Run("pdfinfo", _dir, null, pdf), Does.Match(@"Pages:\s+1\b"));
        var text = Text(pdf);
        Assert.That(text, Does.Contain("现行有效的是第 2 版"));
        Assert.That(text, Does.Contain("version 2 is in force"));
        Assert.That(Text(Save(ReportPdfWriter.Render(F.Report()))), Does.Not.Contain("现行有效"), "no note when nothing supersedes it");
    }

    [Test]
    public void Every_font_is_embedded_and_the_page_renders_the_same_without_any_installed_font()
    {
        var pdf = Save(ReportPdfWriter.Render(F.Report()));

        var fonts = Poppler.Run("pdffonts", _dir, null, pdf).Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToArray();
        Assert.That(fonts, Is.Not.Empty);
        Assert.That(fonts, Has.All.Match(@"\byes\s+yes\s+(yes|no)\b"), "every font embedded (as a subset)");
        Assert.That(fonts.Where(f => f.Contains("Identity-H", StringComparison.Ordinal)), Has.All.Match(@"\byes\s+yes\s+yes\b"),
            "the Chinese font carries a ToUnicode map, so the text can be searched and copied");

        // A fontconfig that knows no font at all: whatever the page shows must come from the PDF itself.
        var noFonts = Path.Combine(_dir, "fonts.conf");
        File.WriteAllText(noFonts, "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig><cachedir>" + _dir + "/cache</cachedir></fontconfig>");
        Poppler.Run("pdftoppm", _dir, null, "-png", "-r", "60", pdf, Path.Combine(_dir, "fonts-installed"));
        Poppler.Run("pdftoppm", _dir, new Dictionary<string, string> { ["FONTCONFIG_FILE"] = noFonts }, "-png", "-r", "60", pdf, Path.Combine(_dir, "no-fonts"));
        var with = File.ReadAllBytes(Directory.GetFiles(_dir, "fonts-installed*.png").Single());
        var without = File.ReadAllBytes(Directory.GetFiles(_dir, "no-fonts*.png").Single());
        Assert.That(without, Is.EqualTo(with), "the rendering does not depend on the machine's fonts");
        Assert.That(with.Length, Is.GreaterThan(20_000), "a page with text on it, not a blank one");
    }

    [Test]
    public void A_failed_proof_says_so_and_vouches_for_nothing_in_it()
    {
        var altered = (byte[])F.Document.Clone();
        altered[0] ^= 1;
        var report = F.Report(file: new MemoryStream(altered), fileName: "other.pdf");
        Assert.That(report.Result.Result.Code, Is.EqualTo(ErrorCode.DocumentHashMismatch));

        var text = Text(Save(ReportPdfWriter.Render(report)));

        Assert.That(text, Does.Contain("证明不成立"));
        Assert.That(text, Does.Contain("所附文件与链上存证的文件不一致"));
        Assert.That(text, Does.Contain("DocumentHashMismatch"));
        Assert.That(text, Does.Not.Contain("Guangzhou Example Technology Co"), "no party of an unproven tx is named");
        Assert.That(text, Does.Not.Contain("证明成立，"));
    }

    [Test]
    public void A_worker_is_never_named()
    {
        var text = Text(Save(ReportPdfWriter.Render(F.Report())));

        Assert.That(text, Does.Contain("劳动者 Worker"));
        Assert.That(text, Does.Contain("身份不显示 identity withheld"));
        Assert.That(F.Report().Parties.Single(p => p.Role == Core.Identity.Role.Worker).Subject, Is.Null);
    }
}
