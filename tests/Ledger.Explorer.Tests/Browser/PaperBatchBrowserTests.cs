using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Explorer.Tests.Support;
using Microsoft.Playwright;

namespace Ledger.Explorer.Tests.Browser;

/// <summary>The public verify page, in headless Chromium, for a file a bureau anchored in a paper batch: anchored, in zh-CN, with the batch's public facts only.</summary>
[NonParallelizable]
public class PaperBatchBrowserTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;
    private static readonly byte[] Scan = "纸质劳动合同扫描件（浏览器测试）"u8.ToArray();
    private BrowserSession _browser = null!;
    private IPage _page = null!;
    private string _scanPath = "";

    [OneTimeSetUp]
    public async Task AnchorAndStartBrowser()
    {
        var key = Sm2PrivateKey.Generate();
        var bureau = Network.Root.Issue(new CertificateRequest("广州市人力资源和社会保障局 档案室", Role.Bureau, DivisionCode.Parse("440100"), key.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
        var plan = PaperBatchPlan.Create(
            [new PaperBatchLeaf(Sm3.Hash(Scan), "GZ-BROWSER-2018-1", EvidenceGrade.PaperScan), new PaperBatchLeaf(Sm3.Hash("other"u8), "GZ-BROWSER-2018-2", EvidenceGrade.PaperScan)],
            Sm3.Hash("browser manifest"u8));
        foreach (var step in new UploadPaperBatchPayload[] { plan.Part(0), plan.Seal() })
        {
            var txId = await Network.Client.SubmitAsync(PaperBatchPlan.Sign(step, Network.Genesis.ChainId, bureau, key));
            Assert.That((await Network.Client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(30))).Receipt.Code, Is.EqualTo(ErrorCode.Ok));
        }
        _scanPath = Path.Combine(Network.Directory.FullName, "paper-scan.pdf");
        await File.WriteAllBytesAsync(_scanPath, Scan);
        _browser = await BrowserSession.StartAsync(Network.ExplorerSpkiHash);
        _page = await _browser.OpenPageAsync();
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }

    [Test]
    public async Task A_file_in_a_paper_batch_is_anchored_and_the_page_says_it_is_in_a_batch()
    {
        await _browser.Context.ClearCookiesAsync();
        await _page.GotoAsync(new Uri(Network.ExplorerUrl, "/verify").ToString());
        await _page.Locator("#file-input").SetInputFilesAsync(_scanPath);
        await Assertions.Expect(_page.Locator("#verdict")).ToHaveAttributeAsync("data-anchored", "true");
        await Assertions.Expect(_page.Locator("#verdict-title")).ToHaveTextAsync("已上链存证");
        await Assertions.Expect(_page.Locator("#batches h2")).ToHaveTextAsync("纸质合同批量存证");
        var text = await _page.Locator("main").InnerTextAsync();
        Assert.That(text, Does.Contain("已存证"));
        Assert.That(text, Does.Not.Contain("GZ-BROWSER-2018-1"), "the public view names no contract");
        Assert.That(_browser.TakePageErrors(), Is.Empty, "errors in the page");
    }
}
