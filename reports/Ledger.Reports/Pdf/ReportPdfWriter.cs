using Ledger.Core.Identity;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Ledger.Reports.Pdf;

/// <summary>Lays a <see cref="VerificationReport"/> out on one A4 page, Chinese first, with its fonts embedded.</summary>
public static class ReportPdfWriter
{
    private const double Margin = 40;
    private static readonly XBrush Valid = new XSolidBrush(XColor.FromArgb(0x1B, 0x6E, 0x3A));
    private static readonly XBrush Invalid = new XSolidBrush(XColor.FromArgb(0xB0, 0x1E, 0x1E));
    private static readonly XBrush Muted = XBrushes.DimGray;

    /// <summary>The report as PDF bytes (unsigned: <see cref="ReportSignature.Sign"/> signs them).</summary>
    public static byte[] Render(VerificationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        ReportFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"电子劳动合同存证核验报告 {report.ReportId}";
        document.Info.Subject = "Evidence verification report";
        document.Info.Author = report.IssuerSubject;
        document.Info.Creator = "ledger proof report";
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            var canvas = new ReportCanvas(graphics, Margin, page.Width.Point - Margin, Margin);
            Title(canvas, report);
            Result(canvas, report);
            if (report.Valid) Facts(canvas, report);
            TrustAnchor(canvas, report);
            Checks(canvas);
            Footer(canvas, report, page.Height.Point);
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void Title(ReportCanvas canvas, VerificationReport report)
    {
        var qrSize = report.VerifyUrl is null ? 0 : 78.0;
        var textRight = canvas.Right - qrSize - 10;
        var top = canvas.Y;
        canvas.Y += canvas.Write("电子劳动合同存证核验报告", canvas.Left, textRight - canvas.Left, 17, bold: true);
        canvas.Y += canvas.Write("Verification report — evidence of an electronic labour contract", canvas.Left, textRight - canvas.Left, 9.5, Muted);
        canvas.Y += canvas.Write("广东省电子劳动合同平台 · Guangdong e-labour-contract platform", canvas.Left, textRight - canvas.Left, 8.5, Muted);
        canvas.Y += 6;
        RowIn(canvas, "报告编号 Report ID", report.ReportId, textRight);
        RowIn(canvas, "出具时间 Issued at", ReportText.Time(report.GeneratedAt), textRight);
        RowIn(canvas, "出具单位 Issued by", $"{report.IssuerSubject}（{report.IssuerDivision}）", textRight);
        if (report.VerifyUrl is not null)
        {
            DrawQr(canvas.Graphics, report.VerifyUrl.ToString(), canvas.Right - qrSize, top, qrSize);
            var captionY = canvas.Y;
            canvas.Y = top + qrSize + 1;
            canvas.Write("扫码在浏览器中核验 Scan to verify", canvas.Right - qrSize - 4, qrSize + 8, 6, Muted);
            canvas.Y = Math.Max(captionY, canvas.Y + 10);
        }
    }

    private static void RowIn(ReportCanvas canvas, string label, string value, double right)
    {
        var labelHeight = canvas.Write(label, canvas.Left, 110, 8.5, Muted);
        var valueHeight = canvas.Write(value, canvas.Left + 115, right - canvas.Left - 115, 8.5);
        canvas.Y += Math.Max(labelHeight, valueHeight) + 1.5;
    }

    private static void Result(ReportCanvas canvas, VerificationReport report)
    {
        canvas.Y += 4;
        var result = report.Result;
        var boxTop = canvas.Y;
        canvas.Y += 6;
        var brush = report.Valid ? Valid : Invalid;
        var headline = report.Valid
            ? report.FileName is null ? "核验结论：证明成立  VALID" : "核验结论：证明成立，文件与存证一致  VALID — the file is the anchored document"
            : "核验结论：证明不成立  NOT VALID";
        canvas.Y += canvas.Write(headline, canvas.Left + 8, canvas.Right - canvas.Left - 16, 12.5, brush, bold: true);
        if (!report.Valid)
        {
            canvas.Y += canvas.Write(ReportText.Failure(result.Result.Code), canvas.Left + 8, canvas.Right - canvas.Left - 16, 9);
            canvas.Y += canvas.Write($"{result.Result.Code}: {result.Result.Reason}", canvas.Left + 8, canvas.Right - canvas.Left - 16, 7.5, Muted, mono: true);
        }
        else if (result.ReceiptCode is { } code && code != Core.ErrorCode.Ok)
        {
            canvas.Y += canvas.Write("注意：该交易已上链，但被业务规则拒绝，未改变合同状态。Note: the tx is on chain but was refused; it changed nothing.",
                canvas.Left + 8, canvas.Right - canvas.Left - 16, 8.5, Invalid);
        }
        if (report.SupersededBy is { } later && report.Valid)
        {
            canvas.Y += canvas.Write(
                $"注意：本证明所载为第 {result.Version} 版；截至 {ReportText.Time(later.AsOf)}，该合同已变更，现行有效的是第 {later.EffectiveVersion} 版（共 {later.LatestVersion} 版）。" +
                $" Note: this proof is of version {result.Version}; the contract was changed later and version {later.EffectiveVersion} is in force.",
                canvas.Left + 8, canvas.Right - canvas.Left - 16, 9, Invalid, bold: true);
        }
        canvas.Y += 4;
        canvas.Graphics.DrawRectangle(new XPen(XColor.FromArgb(report.Valid ? 0x1B : 0xB0, report.Valid ? 0x6E : 0x1E, report.Valid ? 0x3A : 0x1E), 1.2),
            canvas.Left, boxTop, canvas.Right - canvas.Left, canvas.Y - boxTop);
        canvas.Y += 2;
    }

    private static void Facts(ReportCanvas canvas, VerificationReport report)
    {
        var r = report.Result;
        canvas.Heading("存证内容 What was anchored");
        canvas.Row("合同编号 Contract", r.ContractId ?? "—");
        canvas.Row("事项 Event", $"{ReportText.Action(r.Action)}，合同版本 version {r.Version}");
        canvas.Row("合同文件 SM3 Document SM3", r.DocumentHash?.ToHex() ?? "—", mono: true);
        canvas.Row("文件核对 File check", report.FileName is null
            ? "未提供文件，仅核验链上证明 No file given: the proof alone was checked"
            : $"{report.FileName}：SM3 与存证一致 matches the anchored hash");
        canvas.Row("业务结果 Outcome", ReportText.Outcome(r.ReceiptCode));
        canvas.Row("交易标识 Tx id", r.TxId?.ToHex() ?? "—", mono: true);

        canvas.Heading("签名 Signatures");
        foreach (var party in report.Parties)
        {
            var who = party.Role == Role.Worker
                ? $"身份不显示 identity withheld · 公钥标识 key {party.KeyId[..16]}…"
                : $"{party.Subject}{(party.CreditCode is null ? "" : $" · 统一社会信用代码 {party.CreditCode}")}";
            canvas.Row($"{ReportText.Scope(party.Scope)} · {ReportText.Role(party.Role)}", who);
        }

        canvas.Heading("区块与时间 Block and time");
        canvas.Row("上链时间 Block time", r.BlockTime is { } time ? ReportText.Time(time) : "—");
        if (r.AttestedTime is { } attested)
            canvas.Row("时间担保 Time bound", ReportText.TimeBound(attested));
        foreach (var later in r.LaterRevocations)
            canvas.Row("其后吊销 Revoked later", ReportText.LaterRevocation(later));
        if (r.Anchor is { } anchor)
            canvas.Row("外部锚定 External anchor", ReportText.Anchor(anchor));
        canvas.Row("区块高度 Height", r.Height?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "—");
        canvas.Row("区块哈希 Block hash", r.BlockHash?.ToHex() ?? "—", mono: true);
        canvas.Row("验证节点签章 Sealed by", $"{report.Sealers.Count} / {r.ValidatorCount}（法定多数 quorum {report.Quorum}）：" +
            string.Join("；", report.Sealers.Select(s => s.Bureau)));
    }

    private static void TrustAnchor(ReportCanvas canvas, VerificationReport report)
    {
        canvas.Heading("信任根 Trust anchor");
        canvas.Row("链标识 Chain id", report.ChainId);
        canvas.Row("创世文件 SM3 Genesis SM3", report.GenesisFingerprint.ToHex(), mono: true);
        canvas.Row("根证书 Root CA", report.RootSubject);
        canvas.Row("证明文件 SM3 Proof SM3", report.ProofHash.ToHex(), mono: true);
    }

    private static void Checks(ReportCanvas canvas)
    {
        canvas.Heading("核验项目 What was checked");
        for (var i = 0; i < ReportText.Checks.Length; i++)
            canvas.Line($"{i + 1}. {ReportText.Checks[i]}", 7.5);
    }

    private static void Footer(ReportCanvas canvas, VerificationReport report, double pageHeight)
    {
        canvas.Y = Math.Max(canvas.Y + 8, pageHeight - Margin - 34);
        canvas.Graphics.DrawLine(new XPen(XColors.LightGray, 0.5), canvas.Left, canvas.Y, canvas.Right, canvas.Y);
        canvas.Y += 3;
        canvas.Line("本报告由出具单位以 SM2 数字签名（签名附于文件末尾，并另附 .sig 文件），可用 ledger proof report-verify 核验；" +
            "链上证明可用 ledger proof verify 离线核验，无需信任本平台。", 7, Muted);
        canvas.Line($"Signed by {report.IssuerSubject} with SM2 (embedded and detached); check it with `ledger proof report-verify`. " +
            "The proof itself can be checked offline with `ledger proof verify`, trusting no node.", 7, Muted);
    }

    private static void DrawQr(XGraphics graphics, string text, double x, double y, double size)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var cell = size / modules.Count;
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules[row].Count; column++)
            {
                if (modules[row][column]) graphics.DrawRectangle(XBrushes.Black, x + column * cell, y + row * cell, cell + 0.05, cell + 0.05);
            }
        }
    }
}
