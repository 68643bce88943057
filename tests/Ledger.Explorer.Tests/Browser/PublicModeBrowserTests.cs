using Ledger.Explorer.Tests.Support;
using Microsoft.Playwright;

namespace Ledger.Explorer.Tests.Browser;

/// <summary>
/// The explorer as the public sees it, in headless Chromium with nobody signed in: a file's check says anchored or not,
/// when and the contract's status, and nothing about people; transaction and contract pages ask for a staff sign-in,
/// which then opens them for the case stated.
/// </summary>
[NonParallelizable]
public class PublicModeBrowserTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;
    private BrowserSession _browser = null!;
    private IPage _page = null!;

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        _browser = await BrowserSession.StartAsync(Network.ExplorerSpkiHash);
        _page = await _browser.OpenPageAsync();
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null) await _browser.DisposeAsync();
    }

    [SetUp]
    public Task SignedOut() => _browser.Context.ClearCookiesAsync();

    [TearDown]
    public void NoPageErrors()
    {
        Assert.That(_browser.TakePageErrors(), Is.Empty, "errors in the page");
    }

    private Task GoAsync(string path) => _page.GotoAsync(new Uri(Network.ExplorerUrl, path).ToString());

    private ILocator Q(string selector) => _page.Locator(selector);

    [Test]
    public async Task The_public_check_of_a_file_says_anchored_and_when_but_names_no_contract_or_party()
    {
        await GoAsync("/verify");
        await Assertions.Expect(Q("#staff-link")).ToBeVisibleAsync();
        await Q("#file-input").SetInputFilesAsync(Network.DocumentV1Path);
        await Assertions.Expect(Q("#verdict")).ToHaveAttributeAsync("data-anchored", "true");
        await Assertions.Expect(Q("#verdict-title")).ToHaveTextAsync("已上链存证");
        var text = await Q("main").InnerTextAsync();
        Assert.That(text, Does.Not.Contain(Network.ContractId).And.Not.Contain(Network.EmployerCreditCode.Value).And.Not.Contain("广州示例科技有限公司"),
            "the public view names no contract, employer or term");
        await BrowserSession.ScreenshotAsync(_page, "20-public-verify");
    }

    [Test]
    public async Task A_block_page_shows_its_seals_but_not_which_contracts_it_touched()
    {
        await GoAsync($"/block/{Network.Register.Height}");
        await Assertions.Expect(Q("#txs-for-staff")).ToBeVisibleAsync();
        Assert.That(await Q("main").InnerTextAsync(), Does.Not.Contain(Network.ContractId));
    }

    [Test]
    public async Task A_transaction_page_asks_for_a_sign_in_and_opens_after_it()
    {
        var before = await Network.Client.ListAccessRecordsAsync(Network.ContractId);
        await GoAsync($"/tx/{Network.SignV1.TxId.ToHex()}");
        await Assertions.Expect(Q("#sign-in-required")).ToBeVisibleAsync();
        Assert.That(await Q("main").InnerTextAsync(), Does.Not.Contain(Network.ContractId));

        // A wrong password is refused in the page, nothing is recorded.
        await Q("#staff-user").FillAsync(ExplorerNetwork.StaffUser);
        await Q("#staff-password").FillAsync("not the password");
        await Q("#staff-case").FillAsync(ExplorerNetwork.CaseNumber);
        await Q("#sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(Q("#sign-in-result")).Not.ToBeEmptyAsync();
        Assert.That(await Network.Client.ListAccessRecordsAsync(Network.ContractId), Has.Count.EqualTo(before.Count));

        await Q("#staff-password").FillAsync(ExplorerNetwork.StaffPassword);
        await Q("#sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(Q("#staff-who")).ToContainTextAsync(ExplorerNetwork.CaseNumber);
        await Assertions.Expect(Q("main")).ToContainTextAsync(Network.ContractId);
        var after = await Network.Client.ListAccessRecordsAsync(Network.ContractId);
        Assert.That(after, Has.Count.GreaterThan(before.Count), "the clerk's read is on chain before the page shows it");
        Assert.That(after[^1].Reference, Is.EqualTo(ExplorerNetwork.CaseNumber));

        await Q("#sign-out").ClickAsync();
        await Assertions.Expect(Q("#staff-link")).ToBeVisibleAsync();
        await GoAsync($"/contract/{Uri.EscapeDataString(Network.ContractId)}");
        await Assertions.Expect(Q("#sign-in-required")).ToBeVisibleAsync();
    }
}
