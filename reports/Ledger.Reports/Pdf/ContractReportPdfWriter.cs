using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Ledger.Reports.Pdf;

/// <summary>
/// Lays a <see cref="ContractBundleReport"/> out on as many A4 pages as its events need, Chinese first, fonts embedded:
/// the contract's status and version in force as the bundle proves them, a prominent note when a version is
/// superseded, every event in order, the trust anchor and what was checked; each page numbered and footed.
/// </summary>
public static class ContractReportPdfWriter
{
    private const double Margin = 40;
    private const double FooterHeight = 34;
    private static readonly XColor ValidColor = XColor.FromArgb(0x1B, 0x6E, 0x3A);
    private static readonly XColor WarningColor = XColor.FromArgb(0xB0, 0x1E, 0x1E);
    private static readonly XBrush Valid = new XSolidBrush(ValidColor);
    private static readonly XBrush Warning = new XSolidBrush(WarningColor);
    private static readonly XBrush Muted = XBrushes.DimGray;

    /// <summary>The report as PDF bytes (unsigned: <see cref="ReportSignature.Sign"/> signs them).</summary>
    public static byte[] Render(ContractBundleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ReportFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"电子劳动合同全部事件存证核验报告 {report.ReportId}";
        document.Info.Subject = "Contract evidence verification report";
        document.Info.Author = report.IssuerSubject;
        document.Info.Creator = "ledger proof report";
        using (var pages = new Pages(document))
        {
            Title(pages, report);
            Result(pages, report);
            Events(pages, report);
            TrustAnchor(pages, report);
            Checks(pages);
        }
        Footers(document, report);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void Title(Pages pages, ContractBundleReport report)
    {
        var canvas = pages.Canvas;
        canvas.Y += canvas.Write("电子劳动合同存证核验报告（合同全部事件）", canvas.Left, canvas.Right - canvas.Left, 17, bold: true);
        canvas.Y += canvas.Write("Verification report — the whole history of an electronic labour contract", canvas.Left, canvas.Right - canvas.Left, 9.5, Muted);
        canvas.Y += canvas.Write("广东省电子劳动合同平台 · Guangdong e-labour-contract platform", canvas.Left, canvas.Right - canvas.Left, 8.5, Muted);
        canvas.Y += 6;
        canvas.Row("报告编号 Report ID", report.ReportId, labelWidth: 115);
        canvas.Row("出具时间 Issued at", ReportText.Time(report.GeneratedAt), labelWidth: 115);
        canvas.Row("出具单位 Issued by", $"{report.IssuerSubject}（{report.IssuerDivision}）", labelWidth: 115);
    }

    private static void Result(Pages pages, ContractBundleReport report)
    {
        var canvas = pages.Canvas;
        var r = report.Result;
        canvas.Y += 4;
        var boxTop = canvas.Y;
        canvas.Y += 6;
        var width = canvas.Right - canvas.Left - 16;
        canvas.Y += canvas.Write("核验结论：证据包成立  VALID — the contract bundle holds", canvas.Left + 8, width, 12.5, Valid, bold: true);
        var asOf = $"截至区块 {r.Height}（{ReportText.Time(r.BlockTime!.Value)}） As of block {r.Height}";
        if (!r.Found)
        {
            canvas.Y += canvas.Write($"{asOf}：合同 {r.ContractId} 在链上无记录（不存在证明） the contract has no record on chain (proof of absence)",
                canvas.Left + 8, width, 9.5, bold: true);
        }
        else
        {
            var inForce = report.Closed ? "最后生效版本 last version in force" : "现行有效版本 version in force";
            canvas.Y += canvas.Write($"{asOf}：合同 {r.ContractId} 状态 {ReportText.Status(r.Status)}；{inForce}: " +
                (r.EffectiveVersion == 0 ? "无 none" : $"第 {r.EffectiveVersion} 版 version {r.EffectiveVersion}") + $"；共 {report.Events.Count} 个事件 events",
                canvas.Left + 8, width, 9.5, bold: true);
            var superseded = report.SupersededVersions;
            if (superseded.Count > 0)
            {
                var list = string.Join("、", superseded.Select(v => v.ToString(CultureInfo.InvariantCulture)));
                canvas.Y += canvas.Write(
                    (report.Closed
                        ? $"注意：第 {list} 版已被取代，其后生效的是第 {r.EffectiveVersion} 版（由本证据包的状态证明证实，非节点声称）。"
                        : $"注意：第 {list} 版已被取代，现行有效的是第 {r.EffectiveVersion} 版（由本证据包的状态证明证实，非节点声称）。") +
                    $" SUPERSEDED: version {string.Join(", ", superseded)} was superseded by version {r.EffectiveVersion}" +
                    (report.Closed ? ", the last in force" : ", in force") + ", as the bundle's state proof shows.",
                    canvas.Left + 8, width, 10, Warning, bold: true);
            }
            if (report.Closed)
            {
                canvas.Y += canvas.Write($"注意：该合同已{(r.Status == Core.Contracts.ContractStatus.Dissolved ? "解除" : "终止")}，现已无版本有效。 " +
                    $"Note: the contract has been {r.Status.ToString()!.ToLowerInvariant()}: no version is in force.",
                    canvas.Left + 8, width, 10, Warning, bold: true);
            }
        }
        if (report.File is { } file)
        {
            var text = file.Matches
                ? $"所附文件 {file.Name} 为第 {file.Version} 版的存证文件（事件 {string.Join("、", file.Events)}）" +
                  (file.Version < r.EffectiveVersion ? $"——该版本已被取代（第 {r.EffectiveVersion} 版{(report.Closed ? "为其后生效的版本" : "现行有效")}）。" : "。") +
                  $" The file {file.Name} is the anchored document of version {file.Version}" +
                  (file.Version < r.EffectiveVersion ? $", a SUPERSEDED version: version {r.EffectiveVersion} {(report.Closed ? "followed it" : "is in force")}." : ".")
                : $"所附文件 {file.Name} 不是该合同任何事件的存证文件。 The file {file.Name} is not the anchored document of any event of this contract.";
            canvas.Y += canvas.Write(text, canvas.Left + 8, width, 9.5, file.Matches && file.Version >= r.EffectiveVersion ? Valid : Warning, bold: true);
            canvas.Y += canvas.Write($"SM3 {file.Hash.ToHex()}", canvas.Left + 8, width, 7.5, Muted, mono: true);
        }
        canvas.Y += canvas.Write("本报告只说明截至上述区块的情况；其后的变化须以更新的证据包核验。 It says nothing about later blocks: check a newer bundle for them.",
            canvas.Left + 8, width, 7.5, Muted);
        canvas.Y += 4;
        canvas.Graphics.DrawRectangle(new XPen(ValidColor, 1.2), canvas.Left, boxTop, canvas.Right - canvas.Left, canvas.Y - boxTop);
        canvas.Y += 2;
        canvas.Row("证据包区块 Bundle's block", r.BlockHash?.ToHex() ?? "—", mono: true);
        canvas.Row("证据包区块签章 Sealed by", Sealed(report.Sealers, r.ValidatorCount, report.Quorum));
    }

    private static void Events(Pages pages, ContractBundleReport report)
    {
        if (report.Events.Count == 0) return;
        pages.Ensure(60);
        pages.Canvas.Heading("合同事件（按发生顺序） Events of the contract, in order");
        foreach (var e in report.Events)
        {
            pages.Ensure(EventHeight(e));
            var canvas = pages.Canvas;
            var standing = ReportText.Standing(e.Standing);
            var title = $"{e.Index}. {ReportText.Action(e.Action)} · 第 {e.Version} 版 version {e.Version}" + (standing.Length == 0 ? "" : $" · {standing}");
            canvas.Y += canvas.Write(title, canvas.Left, canvas.Right - canvas.Left, 9.5, e.Standing == VersionStanding.Superseded ? Warning : null, bold: true);
            canvas.Y += 1;
            canvas.Row("区块高度 Height", e.Height.ToString(CultureInfo.InvariantCulture), 8, labelWidth: 120);
            canvas.Row("区块哈希 Block hash", e.BlockHash.ToHex(), 8, mono: true, labelWidth: 120);
            canvas.Row("上链时间 Block time", ReportText.Time(e.BlockTime), 8, labelWidth: 120);
            if (e.AttestedTime is { } attested) canvas.Row("时间担保 Time bound", ReportText.TimeBound(attested), 8, labelWidth: 120);
            canvas.Row("合同文件 SM3 Document", e.DocumentHash?.ToHex() ?? "—", 8, mono: true, labelWidth: 120);
            canvas.Row("交易标识 Tx id", e.TxId.ToHex(), 8, mono: true, labelWidth: 120);
            canvas.Row("验证节点签章 Sealed by", Sealed(e.Sealers, report.Result.ValidatorCount, report.Quorum), 8, labelWidth: 120);
            if (e.Anchor is { } anchor) canvas.Row("外部锚定 External anchor", ReportText.Anchor(anchor), 8, labelWidth: 120);
            canvas.Y += 4;
        }
    }

    /// <summary>Room an event needs, so it is never split across pages (a generous estimate: two lines for the time bound).</summary>
    private static double EventHeight(ReportEvent e) =>
        9.5 * 1.35 * 2 + 8 * 1.35 * (7 + (e.AttestedTime is null ? 0 : 2) + (e.Anchor is null ? 0 : 4) + e.Sealers.Count / 4) + 8 * 1.5 + 8;

    private static string Sealed(IReadOnlyList<ReportSealer> sealers, int validators, int quorum) =>
        $"{sealers.Count} / {validators}（法定多数 quorum {quorum}）：" + string.Join("；", sealers.Select(s => s.Bureau));

    private static void TrustAnchor(Pages pages, ContractBundleReport report)
    {
        pages.Ensure(90);
        var canvas = pages.Canvas;
        canvas.Heading("信任根 Trust anchor");
        canvas.Row("链标识 Chain id", report.ChainId);
        canvas.Row("创世文件 SM3 Genesis SM3", report.GenesisFingerprint.ToHex(), mono: true);
        canvas.Row("根证书 Root CA", report.RootSubject);
        canvas.Row("证据包文件 SM3 Bundle SM3", report.ProofHash.ToHex(), mono: true);
    }

    private static void Checks(Pages pages)
    {
        pages.Ensure(130);
        pages.Canvas.Heading("核验项目 What was checked");
        for (var i = 0; i < ReportText.BundleChecks.Length; i++)
            pages.Canvas.Line($"{i + 1}. {ReportText.BundleChecks[i]}", 7.5);
    }

    /// <summary>Every page: a rule, the signature note and "page n of N", drawn once the page count is known.</summary>
    private static void Footers(PdfDocument document, ContractBundleReport report)
    {
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var canvas = new ReportCanvas(graphics, Margin, page.Width.Point - Margin, page.Height.Point - Margin - FooterHeight);
            graphics.DrawLine(new XPen(XColors.LightGray, 0.5), canvas.Left, canvas.Y, canvas.Right, canvas.Y);
            canvas.Y += 3;
            canvas.Line($"报告 {report.ReportId} · 第 {i + 1} / {document.PageCount} 页 page {i + 1} of {document.PageCount} · 本报告由出具单位以 SM2 数字签名，" +
                "可用 ledger proof report-verify 核验；证据包可用 ledger proof verify 离线核验，无需信任本平台。", 7, Muted);
            canvas.Line($"Signed by {report.IssuerSubject} with SM2 (embedded and detached): `ledger proof report-verify`. " +
                "The bundle itself can be checked offline with `ledger proof verify`, trusting no node.", 7, Muted);
        }
    }

    /// <summary>A4 pages on demand: the canvas of the current page, and a new page when the next block would not fit above the footer.</summary>
    private sealed class Pages : IDisposable
    {
        private readonly PdfDocument _document;
        private XGraphics _graphics = null!;
        private double _bottom;

        public Pages(PdfDocument document)
        {
            _document = document;
            NewPage();
        }

        public ReportCanvas Canvas { get; private set; } = null!;

        public void Ensure(double height)
        {
            if (Canvas.Y + height > _bottom) NewPage();
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            var page = _document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(page);
            _bottom = page.Height.Point - Margin - FooterHeight - 6;
            Canvas = new ReportCanvas(_graphics, Margin, page.Width.Point - Margin, Margin);
        }

        public void Dispose() => _graphics.Dispose();
    }
}
