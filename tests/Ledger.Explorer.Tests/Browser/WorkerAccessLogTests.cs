using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ledger.Explorer.Tests.Support;
using Ledger.TestKit;
using Ledger.TestKit.Builders;
using Ledger.TestKit.Network;
using Microsoft.Playwright;

namespace Ledger.Explorer.Tests.Browser;

/// <summary>
/// A worker's own access list in the explorer (issue 13): the worker signs in with their own certificate (a one-time
/// challenge signed with their key) and sees every recorded read of their contracts — the court clerk's included — and
/// nobody else does: not the public, not another worker, not an employer's certificate, not a signed-in staff account; a
/// replayed or wrong signature is refused. Over HTTP, and the page in headless Chromium.
/// </summary>
[NonParallelizable]
public class WorkerAccessLogTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;
    private BrowserSession _browser = null!;
    private IPage _page = null!;
    private TestParty _otherWorker = null!;

    [OneTimeSetUp]
    public async Task ClerkReadsTheContractAndBrowserStarts()
    {
        // A court clerk reads the contract for a case: the explorer commits the AccessRecord before answering.
        using (var clerk = Http())
        {
            await Network.SignInAsync(clerk);
            var read = await clerk.GetAsync($"/api/contracts/{Uri.EscapeDataString(Network.ContractId)}");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), await read.Content.ReadAsStringAsync());
        }
        var passphrase = File.ReadAllText(Path.Combine(Network.Directory.FullName, "passphrase")).Trim();
        _otherWorker = TestWorkers.Issue(TestWorkers.LoadCityCa(Network.Directory.FullName, "guangzhou", passphrase),
            TestWorkers.ReadPseudonymKey(Network.Directory.FullName), "440106199202022344", "another worker");
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

    private static HttpClient Http()
    {
        var http = Network.Transport.Http(TimeSpan.FromSeconds(60));
        http.BaseAddress = Network.ExplorerUrl;
        return http;
    }

    private static async Task<string> ChallengeAsync(HttpClient http)
    {
        var response = await http.PostAsync("/api/worker/challenge", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challenge").GetString()!;
    }

    private static string Signature(TestParty party, string challenge) => Convert.ToBase64String(party.Key.Sign(System.Text.Encoding.UTF8.GetBytes(challenge)));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SignInAsync(HttpClient http, TestParty certified, string challenge, string signature)
    {
        var response = await http.PostAsJsonAsync("/api/worker/session", new { certificate = certified.Certificate!.ToPem(), challenge, signature });
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> AccessAsync(HttpClient http)
    {
        var response = await http.GetAsync("/api/worker/access");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Code(JsonElement body) => body.GetProperty("error").GetProperty("code").GetString()!;

    [Test]
    public async Task The_worker_signed_in_with_their_own_certificate_sees_the_clerks_read()
    {
        using var http = Http();
        var challenge = await ChallengeAsync(http);
        var (status, body) = await SignInAsync(http, Network.Worker, challenge, Signature(Network.Worker, challenge));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var (listed, log) = await AccessAsync(http);
        Assert.That(listed, Is.EqualTo(HttpStatusCode.OK), log.ToString());
        var records = log.GetProperty("records").EnumerateArray().ToArray();
        Assert.That(records, Is.Not.Empty);
        Assert.That(records.Select(r => r.GetProperty("contractId").GetString()), Has.All.EqualTo(Network.ContractId));
        // Read through the explorer (its operator's certificate), for the court, on the clerk's case.
        Assert.That(records.Any(r => r.GetProperty("reference").GetString() == ExplorerNetwork.CaseNumber && r.GetProperty("basis").GetString() == "CourtCase"
            && r.GetProperty("onBehalfOf").GetString()!.Contains(ExplorerNetwork.StaffInstitution, StringComparison.Ordinal)), Is.True, log.ToString());

        // The same signature again: the challenge is spent.
        var (replayed, refusal) = await SignInAsync(Http(), Network.Worker, challenge, Signature(Network.Worker, challenge));
        Assert.That(replayed, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Code(refusal), Is.EqualTo("bad_challenge"));

        // Signed out, the list is closed again.
        await http.DeleteAsync("/api/worker/session");
        Assert.That((await AccessAsync(http)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Nobody_else_opens_a_workers_access_list()
    {
        // Anonymous.
        using (var anonymous = Http())
        {
            var (status, body) = await AccessAsync(anonymous);
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Code(body), Is.EqualTo("worker_sign_in_required"));
        }
        // A signed-in court clerk: a staff account is not the worker.
        using (var clerk = Http())
        {
            await Network.SignInAsync(clerk);
            var (status, body) = await AccessAsync(clerk);
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Code(body), Is.EqualTo("worker_sign_in_required"));
        }
        // An employer's certificate, with its own valid signature.
        using (var employer = Http())
        {
            var challenge = await ChallengeAsync(employer);
            var (status, body) = await SignInAsync(employer, Network.Employer, challenge, Signature(Network.Employer, challenge));
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(Code(body), Is.EqualTo("not_a_worker"));
            Assert.That((await AccessAsync(employer)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        // The worker's certificate, signed by another worker's key.
        using (var impostor = Http())
        {
            var challenge = await ChallengeAsync(impostor);
            var (status, body) = await SignInAsync(impostor, Network.Worker, challenge, Signature(_otherWorker, challenge));
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Code(body), Is.EqualTo("bad_signature"));
            Assert.That((await AccessAsync(impostor)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        // A challenge this explorer never issued.
        using (var forger = Http())
        {
            const string madeUp = "Ledger explorer worker sign-in\nchain: x\nnonce: 00\nexpires: 2099-01-01T00:00:00Z";
            var (status, body) = await SignInAsync(forger, Network.Worker, madeUp, Signature(Network.Worker, madeUp));
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(Code(body), Is.EqualTo("bad_challenge"));
        }
        // Another worker signs in as themself and sees their own list: none of the first worker's reads.
        using (var other = Http())
        {
            var challenge = await ChallengeAsync(other);
            var (status, body) = await SignInAsync(other, _otherWorker, challenge, Signature(_otherWorker, challenge));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            var (listed, log) = await AccessAsync(other);
            Assert.That(listed, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(log.GetProperty("records").GetArrayLength(), Is.Zero, log.ToString());
            Assert.That(log.GetProperty("pseudonym").GetString(), Is.Not.EqualTo(Network.Worker.Certificate!.WorkerPseudonym!.Value.ToHex()));
        }
    }

    [Test]
    public async Task The_node_lists_a_named_workers_accesses_for_observers_only()
    {
        var pseudonym = Network.Worker.Certificate!.WorkerPseudonym!.Value;
        Assert.That(await Network.Client.ListWorkerAccessRecordsAsync(pseudonym), Is.Not.Empty, "the explorer's Observer certificate");
        foreach (var party in new[] { Network.Worker, _otherWorker, Network.Employer })
        {
            using var client = Client.LedgerClient.Connect(Network.NodeUrl.ToString(), new Client.LedgerClientOptions
            {
                TransportCa = Network.Transport.Trust,
                Identity = new Client.Access.CallerIdentity(party.Certificate!, party.Key),
            });
            var refusal = await Assert.ThrowsAsync<Client.LedgerClientException>(() => client.ListWorkerAccessRecordsAsync(pseudonym));
            Assert.That(refusal!.Status, Is.EqualTo(Grpc.Core.StatusCode.PermissionDenied), party.Name);
        }
        using var anonymous = Client.LedgerClient.Connect(Network.NodeUrl.ToString(), new Client.LedgerClientOptions { TransportCa = Network.Transport.Trust });
        Assert.That((await Assert.ThrowsAsync<Client.LedgerClientException>(() => anonymous.ListWorkerAccessRecordsAsync(pseudonym)))!.Status,
            Is.EqualTo(Grpc.Core.StatusCode.Unauthenticated));
    }

    [Test]
    public async Task The_page_signs_the_worker_in_and_lists_who_read_their_contract()
    {
        await _page.GotoAsync(new Uri(Network.ExplorerUrl, "/my-access").ToString());
        await Assertions.Expect(_page.Locator("#worker-sign-in")).ToBeVisibleAsync();
        await _page.Locator("#worker-get-challenge").ClickAsync();
        await Assertions.Expect(_page.Locator("#worker-challenge")).ToContainTextAsync("nonce:");
        var challenge = await _page.Locator("#worker-challenge").TextContentAsync();
        await _page.Locator("#worker-certificate").FillAsync(Network.Worker.Certificate!.ToPem());
        await _page.Locator("#worker-signature").FillAsync(Signature(Network.Worker, challenge!));
        await _page.Locator("#worker-sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(_page.Locator("#access-log")).ToContainTextAsync(ExplorerNetwork.CaseNumber);
        await Assertions.Expect(_page.Locator("#access-log")).ToContainTextAsync("人民法院");
        await Assertions.Expect(_page.Locator("#access-log")).ToContainTextAsync(Network.ContractId);
        await BrowserSession.ScreenshotAsync(_page, "62-worker-access-log");
        await _page.Locator("#worker-sign-out").ClickAsync();
        await Assertions.Expect(_page.Locator("#worker-sign-in")).ToBeVisibleAsync();

        // A wrong signature on the page: one clear line, nothing listed.
        await _page.Locator("#worker-get-challenge").ClickAsync();
        await Assertions.Expect(_page.Locator("#worker-challenge")).ToContainTextAsync("nonce:");
        await _page.Locator("#worker-certificate").FillAsync(Network.Worker.Certificate!.ToPem());
        await _page.Locator("#worker-signature").FillAsync(Signature(_otherWorker, "something else"));
        await _page.Locator("#worker-sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(_page.Locator("#error")).ToHaveAttributeAsync("data-code", "bad_signature");
        await Assertions.Expect(_page.Locator("#access-log")).ToHaveCountAsync(0);
    }
}
