using System.Text.RegularExpressions;
using Ledger.Core.Evidence;
using Ledger.Crypto;
using Ledger.Explorer.Tests.Support;
using Ledger.TestKit;
using Microsoft.Playwright;

namespace Ledger.Explorer.Tests.Browser;

/// <summary>
/// The explorer in real headless Chromium against a running devnet (a real node process and a real explorer
/// process): the court's path from a contract file to a checked proof, live blocks, and a node that goes away.
/// </summary>
// Each test stands alone; the one that kills the node restores it (and sorts last by name).
[NonParallelizable]
public partial class ExplorerBrowserTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;
    private BrowserSession _browser = null!;
    private IPage _page = null!;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        _browser = await BrowserSession.StartAsync(Network.ExplorerSpkiHash);
        _page = await _browser.OpenPageAsync();
        // These tests walk the court's path: a clerk signs in for a case first (the public views: PublicModeBrowserTests).
        await SignInAsync(_page);
    }

    /// <summary>Signs the page's browser context in as the court clerk, through the sign-in form.</summary>
    internal static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(new Uri(Network.ExplorerUrl, "/staff").ToString());
        await page.Locator("#staff-user").FillAsync(ExplorerNetwork.StaffUser);
        await page.Locator("#staff-password").FillAsync(ExplorerNetwork.StaffPassword);
        await page.Locator("#staff-case").FillAsync(ExplorerNetwork.CaseNumber);
        await page.Locator("#sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#staff-who")).ToContainTextAsync(ExplorerNetwork.CaseNumber);
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }

    [TearDown]
    public void NoPageErrors()
    {
        Assert.That(_browser.TakePageErrors(), Is.Empty, "errors in the page");
    }

    private Task GoAsync(string path) => _page.GotoAsync(new Uri(Network.ExplorerUrl, path).ToString());

    private ILocator Q(string selector) => _page.Locator(selector);

    private static string Tx(Client.CommittedTx tx) => tx.TxId.ToHex();

    [Test]
    public async Task Overview_shows_the_chain_its_validators_and_recent_blocks()
    {
        await GoAsync("/");
        await Assertions.Expect(Q("#stat-chain")).ToHaveTextAsync(Network.Genesis.ChainId);
        await Assertions.Expect(Q("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Assertions.Expect(Q("#validators tbody tr")).ToHaveCountAsync(Network.Genesis.Validators.Count);
        await Assertions.Expect(Q("#validators")).ToContainTextAsync(Network.Genesis.Validators[0].Name);
        await Assertions.Expect(Q("#validators")).ToContainTextAsync("100.0%");
        // The newest block heads the list: the dissolution's, or a later one (staff reads commit access records).
        await Assertions.Expect(Q("#recent-blocks tbody tr").First).ToBeVisibleAsync();
        var newest = ulong.Parse(await Q("#recent-blocks tbody tr").First.GetAttributeAsync("data-height") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(newest, Is.GreaterThanOrEqualTo(Network.Dissolve.Height));
        await Assertions.Expect(Q("#footer-trust")).ToContainTextAsync(Sm3.Hash(File.ReadAllBytes(Network.GenesisPath)).ToHex());
        await BrowserSession.ScreenshotAsync(_page, "01-overview");
    }

    [Test]
    public async Task A_new_block_appears_without_a_reload()
    {
        await GoAsync("/");
        await Assertions.Expect(Q("#recent-blocks")).ToBeVisibleAsync();
        await _page.EvaluateAsync("() => { window.__notReloaded = true; }");
        var totalBefore = await Q("#stat-total").TextContentAsync();
        var tx = await Network.AnchorAnotherAsync($"LIVE-{Random.Shared.Next(100000, 999999)}");
        await Assertions.Expect(Q($"#recent-blocks tr[data-height='{tx.Height}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(Q("#stat-height")).ToHaveTextAsync(tx.Height.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(Q("#stat-total")).Not.ToHaveTextAsync(totalBefore ?? "", new() { Timeout = 10_000 });
        Assert.That(await _page.EvaluateAsync<bool>("() => window.__notReloaded === true"), Is.True, "the block came by server-sent event, not by a reload");
    }

    [Test]
    public async Task Dropping_the_contract_file_shows_anchored_with_its_history()
    {
        await GoAsync("/verify");
        await Q("#file-input").SetInputFilesAsync(Network.DocumentV1Path);
        await Assertions.Expect(Q("#verdict")).ToHaveAttributeAsync("data-anchored", "true");
        await Assertions.Expect(Q("#file-hash")).ToHaveTextAsync(Sm3.Hash(File.ReadAllBytes(Network.DocumentV1Path)).ToHex());
        await Assertions.Expect(Q("#verdict-title")).ToHaveTextAsync("已上链存证");
        await Assertions.Expect(Q("#anchors")).ToContainTextAsync(Network.ContractId);
        // Every later event of the contract: the change, its signature and the dissolution, marked as later.
        await Assertions.Expect(Q("#timeline li")).ToHaveCountAsync(5);
        await Assertions.Expect(Q("#timeline li.is-later[data-action='Dissolve']")).ToHaveCountAsync(1);
        await Assertions.Expect(Q("#timeline li.is-later[data-action='Change']")).ToHaveCountAsync(1);
        await Assertions.Expect(Q("#contract-status")).ToHaveTextAsync("已解除");
        await BrowserSession.ScreenshotAsync(_page, "04-verify-anchored");
    }

    [Test]
    public async Task A_file_one_byte_different_dropped_on_the_drop_zone_is_not_anchored()
    {
        var bytes = File.ReadAllBytes(Network.DocumentV1Path);
        bytes[bytes.Length / 2] ^= 0x01;
        await GoAsync("/verify");
        // A real drop event on the drop zone, carrying a File built in the page.
        await _page.EvaluateAsync(@"([b64, name]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], name, { type: 'application/pdf' }));
            document.querySelector('#drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        }", new object[] { Convert.ToBase64String(bytes), "contract-v1-altered.pdf" });
        await Assertions.Expect(Q("#verdict")).ToHaveAttributeAsync("data-anchored", "false");
        await Assertions.Expect(Q("#verdict-title")).ToHaveTextAsync("未上链");
        await Assertions.Expect(Q("#file-hash")).ToHaveTextAsync(Sm3.Hash(bytes).ToHex());
        await BrowserSession.ScreenshotAsync(_page, "05-verify-not-anchored");
    }

    [Test]
    public async Task The_browser_sm3_equals_ledger_hash_for_0_B_1_B_1_MiB_and_20_MiB()
    {
        await GoAsync("/verify");
        Assert.That(await _page.EvaluateAsync<bool>("() => Sm3.testVectors.every(v => Sm3.hex(new TextEncoder().encode(v.input)) === v.hash)"), Is.True,
            "GB/T 32905 test vectors");
        var directory = Directory.CreateTempSubdirectory("ledger-sm3-");
        try
        {
            var random = new Random(32905);
            foreach (var size in new[] { 0, 1, 1024 * 1024, 20 * 1024 * 1024 })
            {
                var path = Path.Combine(directory.FullName, $"file-{size}.bin");
                var content = new byte[size];
                random.NextBytes(content);
                await File.WriteAllBytesAsync(path, content);
                var (exit, output) = LedgerProcess.Run("hash", path);
                Assert.That(exit, Is.Zero, output);
                var expected = output.Trim();

                await GoAsync("/verify");
                var started = DateTime.UtcNow;
                await Q("#file-input").SetInputFilesAsync(path);
                await Assertions.Expect(Q("#file-hash")).ToHaveTextAsync(expected, new() { Timeout = 30_000 });
                TestContext.Progress.WriteLine($"browser SM3 of {size} bytes = ledger hash ({(DateTime.UtcNow - started).TotalMilliseconds:0} ms with the lookup)");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public async Task Block_tx_and_contract_pages_show_seals_signers_and_the_timeline()
    {
        await GoAsync($"/block/{Network.SignV1.Height}");
        await Assertions.Expect(Q("main")).ToContainTextAsync(Network.SignV1.BlockHash.ToHex());
        await Assertions.Expect(Q("main")).ToContainTextAsync(Network.Genesis.Validators[0].Name);
        await BrowserSession.ScreenshotAsync(_page, "02-block");

        await GoAsync($"/tx/{Tx(Network.SignV1)}");
        await Assertions.Expect(Q("main")).ToContainTextAsync("广州示例科技有限公司");
        await Assertions.Expect(Q("main")).ToContainTextAsync("用人单位");
        await Assertions.Expect(Q("main")).ToContainTextAsync("身份不公开");
        await BrowserSession.ScreenshotAsync(_page, "03-tx");

        await GoAsync($"/contract/{Network.ContractId}");
        await Assertions.Expect(Q("#timeline li")).ToHaveCountAsync(5);
        await Assertions.Expect(Q("main")).ToContainTextAsync(Network.EmployerCreditCode.Value);
        await BrowserSession.ScreenshotAsync(_page, "06-contract");

        // The search box reaches each kind of thing.
        await GoAsync("/");
        await Q("#search-input").FillAsync(Network.ContractId);
        await Q("#search-input").PressAsync("Enter");
        await Assertions.Expect(_page).ToHaveURLAsync(new Regex("/contract/"));
        await Q("#search-input").FillAsync("not-a-thing-at-all");
        await Q("#search-input").PressAsync("Enter");
        await Assertions.Expect(Q("#error")).ToHaveAttributeAsync("data-code", "not_found");
    }

    [Test]
    public async Task The_downloaded_proof_verifies_with_ledger_proof_verify()
    {
        await GoAsync($"/tx/{Tx(Network.SignV1)}");
        var download = await _page.RunAndWaitForDownloadAsync(() => Q("#download-proof").ClickAsync());
        var path = Path.Combine(Network.Directory.FullName, "downloaded-proof.json");
        await download.SaveAsAsync(path);
        var (exit, output) = LedgerProcess.Run("proof", "verify", path, "--genesis", Network.GenesisPath, "--file", Network.DocumentV1Path);
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("proof valid"));
    }

    [Test]
    public async Task An_uploaded_proof_is_checked_and_a_tampered_one_rejected()
    {
        // Fetched by the test over TLS pinning the transport CA (Playwright's own request client does not trust it).
        string proofJson;
        // Proofs are for signed-in staff: the test's client signs in as the clerk first.
        using (var http = Network.Transport.Http(TimeSpan.FromSeconds(60)))
        {
            await Network.SignInAsync(http);
            proofJson = await http.GetStringAsync(new Uri(Network.ExplorerUrl, $"/api/tx/{Tx(Network.SignV1)}/proof"));
        }
        var good = Path.Combine(Network.Directory.FullName, "proof-good.json");
        await File.WriteAllTextAsync(good, proofJson);
        var proof = EvidenceProof.FromJson(proofJson);
        var header = Convert.FromBase64String(proof.Header);
        header[^3] ^= 0x01;
        var tampered = Path.Combine(Network.Directory.FullName, "proof-tampered.json");
        await File.WriteAllTextAsync(tampered, (proof with { Header = Convert.ToBase64String(header) }).ToJson());

        await GoAsync("/evidence");
        await Q("#proof-input").SetInputFilesAsync(good);
        await Q("#proof-file-input").SetInputFilesAsync(Network.DocumentV1Path);
        await Q("#proof-check").ClickAsync();
        await Assertions.Expect(Q("#proof-verdict")).ToHaveAttributeAsync("data-valid", "true");
        await Assertions.Expect(Q("#proof-verdict")).ToContainTextAsync(Network.ContractId);
        var bound = (Network.Genesis.Consensus.TimestampPrecisionMs + Network.Genesis.Consensus.MessageDelayMs) / 1000.0;
        await Assertions.Expect(Q("#proof-verdict .time-bound")).ToContainTextAsync($"个验证节点认可，其时钟与该时间相差不超过 ±{bound.ToString(System.Globalization.CultureInfo.InvariantCulture)} 秒");
        await BrowserSession.ScreenshotAsync(_page, "07-evidence-valid");

        await GoAsync("/evidence");
        await Q("#proof-input").SetInputFilesAsync(tampered);
        await Q("#proof-check").ClickAsync();
        await Assertions.Expect(Q("#proof-verdict")).ToHaveAttributeAsync("data-valid", "false");
        await Assertions.Expect(Q("#proof-reason")).Not.ToBeEmptyAsync();
        await Assertions.Expect(Q("#proof-verdict")).ToContainTextAsync("证明未通过核验");
        await BrowserSession.ScreenshotAsync(_page, "08-evidence-rejected");
    }

    [Test]
    public async Task The_printable_evidence_page_carries_the_facts_seals_and_how_to_recheck()
    {
        await GoAsync($"/print/{Tx(Network.SignV1)}");
        await Assertions.Expect(Q("#evidence-sheet")).ToBeVisibleAsync();
        await Assertions.Expect(Q("#evidence-sheet")).ToContainTextAsync("ledger proof verify proof.json --genesis genesis.json --file CONTRACT");
        await Assertions.Expect(Q("#evidence-sheet")).ToContainTextAsync(Tx(Network.SignV1));
        await Assertions.Expect(Q("#evidence-sheet")).ToContainTextAsync(Network.Genesis.Validators[0].Name);
        await Assertions.Expect(Q(".sheet-ok")).ToBeVisibleAsync();
        await Assertions.Expect(Q("#evidence-sheet .time-bound")).ToContainTextAsync("时钟与该时间相差不超过 ±");
        Assert.That(await Q("#qr").GetAttributeAsync("src"), Does.StartWith("data:image/"), "QR code drawn by the npm library, served locally");
        await BrowserSession.ScreenshotAsync(_page, "09-print");
        await _page.EmulateMediaAsync(new() { Media = Media.Print });
        var pdf = Path.Combine(BrowserSession.ScreenshotDirectory, "09-print.pdf");
        await _page.PdfAsync(new() { Path = pdf, Format = "A4", PreferCSSPageSize = true, PrintBackground = true });
        await _page.EmulateMediaAsync(new() { Media = Media.Screen });
        TestContext.Progress.WriteLine($"pdf: {pdf}");
    }

    [Test]
    public async Task The_english_switch_is_remembered()
    {
        await GoAsync("/");
        await Q("#lang-switch").ClickAsync();
        await Assertions.Expect(Q("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(Q("h1")).ToHaveTextAsync("Chain overview");
        await _page.ReloadAsync();
        await Assertions.Expect(Q("html")).ToHaveAttributeAsync("lang", "en");
        await GoAsync("/verify");
        await Q("#file-input").SetInputFilesAsync(Network.DocumentV2Path);
        await Assertions.Expect(Q("#verdict-title")).ToHaveTextAsync("Anchored");
        await BrowserSession.ScreenshotAsync(_page, "10-verify-anchored-en");
        await Q("#lang-switch").ClickAsync();
        await Assertions.Expect(Q("html")).ToHaveAttributeAsync("lang", "zh-CN");
    }

    [Test]
    public async Task With_its_node_down_the_explorer_says_node_unreachable_and_recovers()
    {
        await GoAsync("/");
        await Assertions.Expect(Q("#stat-height")).ToBeVisibleAsync();
        Network.KillNode();
        try
        {
            // The open page learns it from the event stream; a fresh load from the API's 503.
            await Assertions.Expect(Q("#node-banner")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await GoAsync("/");
            await Assertions.Expect(Q("#error")).ToHaveAttributeAsync("data-code", "node_unreachable");
            await Assertions.Expect(Q("#node-banner")).ToContainTextAsync("节点不可达");
            await BrowserSession.ScreenshotAsync(_page, "11-node-unreachable");
        }
        finally
        {
            await Network.RestartNodeAsync();
        }
        await Assertions.Expect(Q("#stat-height")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(Q("#node-banner")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        // And the live feed is back: a new block shows up.
        var tx = await Network.AnchorAnotherAsync($"BACK-{Random.Shared.Next(100000, 999999)}");
        await Assertions.Expect(Q($"#recent-blocks tr[data-height='{tx.Height}']")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await BrowserSession.ScreenshotAsync(_page, "12-node-recovered");
    }
}
