using System.Net;
using System.Text.Json;
using Ledger.Explorer.Tests.Support;
using Microsoft.Playwright;

namespace Ledger.Explorer.Tests.Browser;

/// <summary>
/// "外部锚定 / External anchor" on a block's page and a contract's page, from a real node that recorded an ExternalAnchor
/// (the first city's Bureau, as the anchoring service records one) for the block of the contract's latest event: the EVM
/// chain id, contract, tx hash, external block and time and which of our heights it covers, to anyone; "尚未锚定" above
/// the checkpoint. The JSON behind it over HTTP, and the pages in headless Chromium.
/// </summary>
[NonParallelizable]
public class ExternalAnchorBrowserTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;
    private BrowserSession _browser = null!;
    private IPage _page = null!;
    private Core.Anchoring.ExternalAnchorPayload _anchor = null!;
    private ulong _recordedAt;

    [OneTimeSetUp]
    public async Task RecordAnAnchorAndStartBrowser()
    {
        (_anchor, _recordedAt) = await Network.AnchorLatestEventAsync();
        _browser = await BrowserSession.StartAsync(Network.ExplorerSpkiHash);
        _page = await _browser.OpenPageAsync();
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }

    [TearDown]
    public void NoPageErrors() => Assert.That(_browser.TakePageErrors(), Is.Empty, "errors in the page");

    private Task GoAsync(string path) => _page.GotoAsync(new Uri(Network.ExplorerUrl, path).ToString());

    private ILocator Q(string selector) => _page.Locator(selector);

    private static async Task<(HttpStatusCode Status, JsonElement Body, string Text, string? CacheControl)> GetAsync(string path)
    {
        using var http = Network.Transport.Http(TimeSpan.FromSeconds(20));
        using var response = await http.GetAsync(new Uri(Network.ExplorerUrl, path));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), text, response.Headers.CacheControl?.ToString());
    }

    [Test]
    public async Task Anyone_reads_the_anchor_covering_a_height_and_that_a_later_height_is_not_anchored_yet()
    {
        var (status, body, text, cache) = await GetAsync($"/api/anchors/{Network.Register.Height}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(cache, Does.Contain("no-cache"), "an answer that changes once the checkpoint is anchored is never cached");
        Assert.That(body.GetProperty("anchored").GetBoolean(), Is.True);
        Assert.That(body.GetProperty("checkpointHeight").GetUInt64(), Is.EqualTo(Network.Dissolve.Height), "the nearest checkpoint at or above the height");
        Assert.That(body.GetProperty("evmChainId").GetUInt64(), Is.EqualTo(1337UL));
        Assert.That(body.GetProperty("contract").GetString(), Is.EqualTo("0x" + Convert.ToHexStringLower(_anchor.Contract.Span)));
        Assert.That(body.GetProperty("txHash").GetString(), Is.EqualTo("0x" + _anchor.TxHash.ToHex()));
        Assert.That(body.GetProperty("externalBlock").GetUInt64(), Is.EqualTo(4242UL));
        Assert.That(body.GetProperty("externalTime").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(_anchor.ExternalTime)));
        Assert.That(body.GetProperty("recordedAt").GetUInt64(), Is.EqualTo(_recordedAt));
        // Public info only: no recorder, certificate or tx of ours.
        foreach (var name in new[] { "submitter", "certificate", "recordTxId", "bureau" })
            Assert.That(text, Does.Not.Contain(name), name);

        var (_, exact, _, _) = await GetAsync($"/api/anchors/{Network.Dissolve.Height}");
        Assert.That(exact.GetProperty("checkpointHeight").GetUInt64(), Is.EqualTo(Network.Dissolve.Height), "a checkpoint covers its own block");
        var (laterStatus, later, laterText, _) = await GetAsync($"/api/anchors/{_recordedAt}");
        Assert.That(laterStatus, Is.EqualTo(HttpStatusCode.OK), laterText);
        Assert.That(later.GetProperty("anchored").GetBoolean(), Is.False, "above the checkpoint: not yet anchored");
        var (badStatus, bad, _, _) = await GetAsync("/api/anchors/twelve");
        Assert.That(badStatus, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(bad.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("bad_block_id"));
    }

    [Test]
    public async Task A_block_page_shows_its_external_anchor_or_says_it_is_not_anchored_yet()
    {
        await GoAsync($"/block/{Network.Register.Height}");
        var card = Q("#external-anchor");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-anchored", "true");
        await Assertions.Expect(card.Locator("h2")).ToContainTextAsync("外部锚定");
        await Assertions.Expect(Q("#anchor-evm-chain")).ToHaveTextAsync("1337");
        await Assertions.Expect(Q("#anchor-contract")).ToHaveTextAsync("0x" + Convert.ToHexStringLower(_anchor.Contract.Span));
        await Assertions.Expect(Q("#anchor-tx")).ToHaveTextAsync("0x" + _anchor.TxHash.ToHex());
        await Assertions.Expect(Q("#anchor-external-block")).ToHaveTextAsync("4242");
        await Assertions.Expect(Q("#anchor-external-time")).ToContainTextAsync("2026-11-30");
        await Assertions.Expect(Q("#anchor-covers")).ToContainTextAsync($"≤ {Network.Dissolve.Height}");
        await Assertions.Expect(Q("#anchor-covers")).ToContainTextAsync($"#{Network.Register.Height}");
        await BrowserSession.ScreenshotAsync(_page, "60-block-external-anchor");

        await GoAsync($"/block/{_recordedAt}");
        await Assertions.Expect(Q("#external-anchor")).ToHaveAttributeAsync("data-anchored", "false");
        await Assertions.Expect(Q("#anchor-none")).ToContainTextAsync("尚未锚定");

        // English on request.
        await _page.EvaluateAsync("() => localStorage.setItem('ledger.lang', 'en')");
        await GoAsync($"/block/{_recordedAt}");
        await Assertions.Expect(Q("#anchor-none")).ToContainTextAsync("Not yet anchored");
        await GoAsync($"/block/{Network.Register.Height}");
        await Assertions.Expect(Q("#external-anchor h2")).ToContainTextAsync("External anchor");
        await _page.EvaluateAsync("() => localStorage.setItem('ledger.lang', 'zh-CN')");
    }

    [Test]
    public async Task A_contract_page_shows_the_anchor_covering_its_latest_event()
    {
        await ExplorerBrowserTests.SignInAsync(_page);
        await GoAsync($"/contract/{Uri.EscapeDataString(Network.ContractId)}");
        await Assertions.Expect(Q("#external-anchor")).ToHaveAttributeAsync("data-anchored", "true");
        await Assertions.Expect(Q("#anchor-covers")).ToContainTextAsync($"≤ {Network.Dissolve.Height}");
        await Assertions.Expect(Q("#anchor-tx")).ToHaveTextAsync("0x" + _anchor.TxHash.ToHex());
        await Assertions.Expect(Q("#external-anchor")).ToContainTextAsync($"#{Network.Dissolve.Height}");
        await BrowserSession.ScreenshotAsync(_page, "61-contract-external-anchor");
    }
}
