using Ledger.Explorer.Tests.Support;
using Microsoft.Playwright;

namespace Ledger.Explorer.Tests.Browser;

/// <summary>
/// The pages a court clerk reads, in headless Chromium, signed in: what a clerk could misread (a superseded version, a
/// tx deadline taken for the contract's term, jargon, raw codes and English) is said plainly, the printable evidence
/// fits one A4 sheet, and every page works on a 375 px phone.
/// </summary>
[NonParallelizable]
public class ClerkPagesBrowserTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;
    private BrowserSession _browser = null!;
    private IPage _page = null!;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        _browser = await BrowserSession.StartAsync(Network.ExplorerSpkiHash);
        _page = await _browser.OpenPageAsync();
        await ExplorerBrowserTests.SignInAsync(_page);
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }

    [TearDown]
    public async Task NoPageErrors()
    {
        await _page.SetViewportSizeAsync(1280, 900);
        await _page.EmulateMediaAsync(new() { Media = Media.Screen });
        Assert.That(_browser.TakePageErrors(), Is.Empty, "errors in the page");
    }

    private Task GoAsync(string path) => _page.GotoAsync(new Uri(Network.ExplorerUrl, path).ToString());

    private ILocator Q(string selector) => _page.Locator(selector);

    [Test]
    public async Task Version_1_says_prominently_that_version_2_is_in_force_on_the_tx_and_printable_pages()
    {
        await GoAsync($"/tx/{Network.SignV1.TxId.ToHex()}");
        await Assertions.Expect(Q("#superseded-notice")).ToBeVisibleAsync();
        await Assertions.Expect(Q("#superseded-notice")).ToContainTextAsync("第 1 版");
        await Assertions.Expect(Q("#superseded-notice")).ToContainTextAsync("第 2 版");
        await Assertions.Expect(Q("#report-link")).ToHaveAttributeAsync("href", $"/api/tx/{Network.SignV1.TxId.ToHex()}/report.pdf");
        await GoAsync($"/print/{Network.SignV1.TxId.ToHex()}");
        await Assertions.Expect(Q("#evidence-sheet #superseded-notice")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(_page, "30-print-superseded");

        // The version in force is not flagged.
        await GoAsync($"/tx/{Network.SignV2.TxId.ToHex()}");
        await Assertions.Expect(Q("#contract-now")).ToBeVisibleAsync();
        await Assertions.Expect(Q("#superseded-notice")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task The_printable_evidence_fits_one_A4_sheet_names_bureaus_and_does_not_repeat_the_worker()
    {
        await GoAsync($"/print/{Network.SignV1.TxId.ToHex()}");
        await Assertions.Expect(Q("#evidence-sheet")).ToBeVisibleAsync();
        await _page.EmulateMediaAsync(new() { Media = Media.Print });
        // 297 mm at 96 px per inch.
        var height = await _page.EvaluateAsync<double>("() => document.querySelector('#evidence-sheet').getBoundingClientRect().height");
        Assert.That(height, Is.LessThanOrEqualTo(297 / 25.4 * 96 + 0.5), "one A4 page");
        var pdf = await _page.PdfAsync(new() { Format = "A4", PrintBackground = true });
        Assert.That(PageCount(pdf), Is.EqualTo(1), "Chromium prints it on one page");

        var text = await Q("#evidence-sheet").InnerTextAsync();
        Assert.That(text, Does.Contain("人力资源和社会保障"), "validators by the bureau that runs them");
        Assert.That(text, Does.Not.Contain("劳动者 劳动者").And.Not.Contain("劳动者劳动者"));
        Assert.That(text, Does.Not.Contain("链码"), "no jargon");
    }

    /// <summary>Page objects in a PDF: <c>/Type /Page</c>, not the page tree's <c>/Type /Pages</c>.</summary>
    private static int PageCount(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page(?![a-zA-Z])").Count;

    [Test]
    public async Task The_tx_page_speaks_a_clerks_words()
    {
        await GoAsync($"/tx/{Network.Register.TxId.ToHex()}");
        await Assertions.Expect(Q("main")).ToContainTextAsync("已上链，校验通过");
        var text = await Q("main").InnerTextAsync();
        Assert.That(text, Does.Not.Contain("链码"), "no jargon");
        Assert.That(text, Does.Not.Contain("有效期至"), "the tx's submission deadline is not the contract's validity");
        Assert.That(text, Does.Contain("提交截止时间（交易时限，非合同期限）"));
        Assert.That(text, Does.Contain("PDF 文件").And.Not.Contain("文件格式\tPdf").And.Not.Contain("文件格式\nPdf"));
        Assert.That(text, Does.Contain("广东省广州市天河区"), "the place of work by name");
    }

    [Test]
    public async Task A_sound_proof_with_another_file_says_the_file_does_not_match_in_words()
    {
        string proofJson;
        using (var http = Network.Transport.Http(TimeSpan.FromSeconds(60)))
        {
            await Network.SignInAsync(http);
            proofJson = await http.GetStringAsync(new Uri(Network.ExplorerUrl, $"/api/tx/{Network.SignV1.TxId.ToHex()}/proof"));
        }
        var proof = Path.Combine(Network.Directory.FullName, "proof-clerk.json");
        await File.WriteAllTextAsync(proof, proofJson);
        await GoAsync("/evidence");
        await Q("#proof-input").SetInputFilesAsync(proof);
        await Q("#proof-file-input").SetInputFilesAsync(Network.DocumentV2Path);
        await Q("#proof-check").ClickAsync();
        await Assertions.Expect(Q("#proof-verdict")).ToHaveAttributeAsync("data-code", "DocumentHashMismatch");
        await Assertions.Expect(Q("#proof-verdict-title")).ToHaveTextAsync("文件与证明不符");
        await Assertions.Expect(Q("#proof-explanation")).ToContainTextAsync("存证证明本身经核验有效");
        await Assertions.Expect(Q("#proof-reason")).Not.ToBeVisibleAsync();   // the verifier's English, folded away
    }

    [Test]
    public async Task The_contract_page_offers_the_signed_report_of_the_whole_contract()
    {
        await GoAsync($"/contract/{Uri.EscapeDataString(Network.ContractId)}");
        var link = Q("#contract-report-link");
        await Assertions.Expect(link).ToHaveAttributeAsync("href", $"/api/contracts/{Uri.EscapeDataString(Network.ContractId)}/report.pdf");
        await Assertions.Expect(link).ToContainTextAsync("合同全部事件核验报告");
        var download = await _page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var path = Path.Combine(Network.Directory.FullName, "browser-contract-report.pdf");
        await download.SaveAsAsync(path);
        var check = Reports.ReportSignature.Verify(await File.ReadAllBytesAsync(path), Network.Genesis, DateTimeOffset.UtcNow);
        Assert.That(check.IsValid, Is.True, check.Result.Reason);
    }

    [TestCase("/")]
    [TestCase("/verify")]
    [TestCase("/evidence")]
    [TestCase("tx")]
    [TestCase("contract")]
    [TestCase("block")]
    [TestCase("print")]
    public async Task At_375_px_nothing_overflows_and_the_navigation_wraps_by_link(string where)
    {
        await _page.SetViewportSizeAsync(375, 800);
        var path = where switch
        {
            "tx" => $"/tx/{Network.SignV1.TxId.ToHex()}",
            "contract" => $"/contract/{Uri.EscapeDataString(Network.ContractId)}",
            "block" => $"/block/{Network.Register.Height}",
            "print" => $"/print/{Network.SignV1.TxId.ToHex()}",
            _ => where,
        };
        await GoAsync(path);
        await Assertions.Expect(Q("main > *").First).ToBeVisibleAsync();
        await _page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var width = await _page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var widest = await _page.EvaluateAsync<string>(@"() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 376).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).join('; ')");
        Assert.That(width, Is.LessThanOrEqualTo(375), $"{path} is {width} px wide on a 375 px phone: {widest}");
        var heights = await _page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('.mainnav a')].map(a => a.getBoundingClientRect().height)");
        Assert.That(heights, Is.All.LessThan(48), "each navigation link on one line");
        await BrowserSession.ScreenshotAsync(_page, "31-phone-" + where.Trim('/').Replace('/', '-') + (where == "/" ? "overview" : ""));
    }
}
