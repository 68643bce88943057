using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ledger.Core.Evidence;
using Ledger.Explorer.Tests.Support;

namespace Ledger.Explorer.Tests.Api;

/// <summary>The JSON API of a real <c>ledger explorer</c> process in front of a real node: answers, cache headers, bad input.</summary>
public class JsonApiTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;
    private HttpClient _http = null!;
    private HttpClient _public = null!;

    /// <summary>Two visitors: a court clerk signed in (the staff views, most tests) and the public.</summary>
    [OneTimeSetUp]
    public async Task CreateClients()
    {
        // Both over the explorer's TLS, its CA pinned; the clerk's client keeps the session cookie.
        _http = Network.Transport.Http(TimeSpan.FromSeconds(60));
        _http.BaseAddress = Network.ExplorerUrl;
        await Network.SignInAsync(_http);
        _public = Network.Transport.Http(TimeSpan.FromSeconds(20));
        _public.BaseAddress = Network.ExplorerUrl;
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _http.Dispose();
        _public.Dispose();
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> GetJson(string path, string? ifNoneMatch = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(ifNoneMatch));
        var response = await (client ?? _http).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void AssertError(HttpResponseMessage response, JsonElement body, HttpStatusCode status, string code)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status), body.ToString());
        Assert.That(body.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo(code));
        Assert.That(body.GetProperty("error").GetProperty("message").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Overview_names_the_chain_and_the_validators_from_genesis_with_their_seals()
    {
        var (response, o) = await GetJson("/api/overview");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl?.NoCache, Is.True, "the overview moves with the head");
        Assert.That(o.GetProperty("chainId").GetString(), Is.EqualTo(Network.Genesis.ChainId));
        Assert.That(o.GetProperty("height").GetUInt64(), Is.GreaterThanOrEqualTo(Network.Dissolve.Height));
        var validator = o.GetProperty("validators")[0];
        Assert.That(validator.GetProperty("name").GetString(), Is.EqualTo(Network.Genesis.Validators[0].Name));
        Assert.That(validator.GetProperty("division").GetString(), Is.EqualTo(Network.Genesis.Validators[0].Division));
        Assert.That(validator.GetProperty("share").GetDouble(), Is.EqualTo(1.0), "the only validator seals every block");
        Assert.That(validator.TryGetProperty("lastSeen", out _), Is.True);
        var genesisHash = Crypto.Sm3.Hash(File.ReadAllBytes(Network.GenesisPath)).ToHex();
        Assert.That(o.GetProperty("trustAnchor").GetProperty("genesisHash").GetString(), Is.EqualTo(genesisHash));
    }

    [Test]
    public async Task A_public_block_below_the_head_is_immutable_and_a_staff_tx_is_never_cached()
    {
        var (block, body) = await GetJson($"/api/blocks/{Network.Register.Height}", client: _public);
        Assert.That(block.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(block.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));
        Assert.That(block.Headers.ETag, Is.Not.Null);
        Assert.That(body.GetProperty("hash").GetString(), Is.EqualTo(Network.Register.BlockHash.ToHex()));
        Assert.That(body.GetProperty("seals").GetArrayLength(), Is.EqualTo(1));
        Assert.That(body.GetProperty("transactions").GetArrayLength(), Is.Zero, "which contracts a block touched is for staff");
        var (again, _) = await GetJson($"/api/blocks/{Network.Register.Height}", block.Headers.ETag!.Tag, _public);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));

        var (byHash, _) = await GetJson($"/api/blocks/{Network.Register.BlockHash}", client: _public);
        Assert.That(byHash.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));

        var (staffBlock, staffBlockBody) = await GetJson($"/api/blocks/{Network.Register.Height}");
        Assert.That(staffBlock.Headers.CacheControl?.NoCache, Is.True, "a staff view is never stored by a shared cache");
        Assert.That(staffBlockBody.GetProperty("transactions").GetArrayLength(), Is.GreaterThan(0));

        var (tx, txBody) = await GetJson($"/api/tx/{Network.SignV1.TxId}");
        Assert.That(tx.Headers.CacheControl?.NoCache, Is.True, "each staff read is recorded, so none is cached");
        Assert.That(tx.Headers.ETag, Is.Null);
        var signers = txBody.GetProperty("endorsements").EnumerateArray().ToArray();
        Assert.That(signers.Select(s => s.GetProperty("role").GetString()), Does.Contain("Employer").And.Contain("Worker"));
        Assert.That(signers.First(s => s.GetProperty("role").GetString() == "Employer").GetProperty("subject").GetString(), Does.Contain("广州示例科技有限公司"));
        Assert.That(signers.First(s => s.GetProperty("role").GetString() == "Worker").TryGetProperty("subject", out _), Is.False, "no worker identity");
    }

    [Test]
    public async Task A_contract_shows_every_event_and_is_not_cached()
    {
        var (response, c) = await GetJson($"/api/contracts/{Network.ContractId}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
        Assert.That(c.GetProperty("status").GetString(), Is.EqualTo("Dissolved"));
        Assert.That(c.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("action").GetString()),
            Is.EqualTo(new[] { "Register", "Sign", "Change", "Sign", "Dissolve" }));
        Assert.That(c.GetProperty("timeline")[0].GetProperty("txId").GetString(), Is.EqualTo(Network.Register.TxId.ToHex()));
        Assert.That(c.GetProperty("workerPseudonym").GetString(), Has.Length.EqualTo(64), "the worker only as a commitment");
    }

    [Test]
    public async Task A_document_hash_finds_its_anchors_and_its_contract()
    {
        var hash = Crypto.Sm3.Hash(File.ReadAllBytes(Network.DocumentV1Path));
        var (_, d) = await GetJson($"/api/documents/{hash}");
        Assert.That(d.GetProperty("anchored").GetBoolean(), Is.True);
        Assert.That(d.GetProperty("anchors").EnumerateArray().Select(a => a.GetProperty("txId").GetString()),
            Is.EqualTo(new[] { Network.Register.TxId.ToHex(), Network.SignV1.TxId.ToHex() }));
        Assert.That(d.GetProperty("contracts")[0].GetProperty("contractId").GetString(), Is.EqualTo(Network.ContractId));

        var (_, none) = await GetJson($"/api/documents/{new string('0', 64)}");
        Assert.That(none.GetProperty("anchored").GetBoolean(), Is.False);
    }

    [Test]
    public async Task The_public_sees_whether_a_file_is_anchored_and_nothing_about_people()
    {
        var hash = Crypto.Sm3.Hash(File.ReadAllBytes(Network.DocumentV1Path));
        var (response, d) = await GetJson($"/api/documents/{hash}", client: _public);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(d.GetProperty("anchored").GetBoolean(), Is.True);
        var anchors = d.GetProperty("anchors").EnumerateArray().ToArray();
        Assert.That(anchors.Select(a => a.GetProperty("action").GetString()), Is.EqualTo(new[] { "Register", "Sign" }));
        Assert.That(anchors.Select(a => a.GetProperty("contractStatus").GetString()), Is.All.EqualTo("Dissolved"));
        var text = d.ToString();
        Assert.That(text, Does.Not.Contain(Network.ContractId).And.Not.Contain(Network.EmployerCreditCode.Value).And.Not.Contain("440106")
            .And.Not.Contain("Art36").And.Not.Contain("signers").And.Not.Contain("contracts"), "no contract, party, term or basis");
        foreach (var path in new[] { $"/api/tx/{Network.SignV1.TxId}", $"/api/tx/{Network.SignV1.TxId}/evidence", $"/api/contracts/{Network.ContractId}" })
        {
            var (refused, body) = await GetJson(path, client: _public);
            AssertError(refused, body, HttpStatusCode.Unauthorized, "sign_in_required");
        }
        var (search, found) = await GetJson($"/api/search?q={Network.ContractId}", client: _public);
        AssertError(search, found, HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task Sign_in_needs_the_right_password_and_a_case_number()
    {
        async Task<(HttpResponseMessage, JsonElement)> Post(string user, string password, string caseNumber)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["password"] = password, ["caseNumber"] = caseNumber });
            var response = await _public.PostAsync("/api/session", form);
            return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
        var (wrong, wrongBody) = await Post(ExplorerNetwork.StaffUser, "not the password", ExplorerNetwork.CaseNumber);
        AssertError(wrong, wrongBody, HttpStatusCode.Unauthorized, "bad_credentials");
        var (nobody, nobodyBody) = await Post("nobody", ExplorerNetwork.StaffPassword, ExplorerNetwork.CaseNumber);
        AssertError(nobody, nobodyBody, HttpStatusCode.Unauthorized, "bad_credentials");
        var (noCase, noCaseBody) = await Post(ExplorerNetwork.StaffUser, ExplorerNetwork.StaffPassword, " ");
        AssertError(noCase, noCaseBody, HttpStatusCode.BadRequest, "case_required");
        var (who, whoBody) = await GetJson("/api/session");
        Assert.That(who.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(whoBody.GetProperty("caseNumber").GetString(), Is.EqualTo(ExplorerNetwork.CaseNumber));
    }

    [Test]
    public async Task Five_wrong_passwords_block_the_name_for_a_while_known_or_not()
    {
        // A name no account has: the throttle does not tell which names exist, and no real account is locked out.
        var user = "guesser-" + Guid.NewGuid().ToString("N")[..8];
        async Task<HttpResponseMessage> Post(string password)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["password"] = password, ["caseNumber"] = "x" });
            return await _public.PostAsync("/api/session", form);
        }
        for (var i = 0; i < 5; i++)
            Assert.That((await Post("guess " + i)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var blocked = await Post(ExplorerNetwork.StaffPassword);
        Assert.That((int)blocked.StatusCode, Is.EqualTo(429));
        var body = JsonDocument.Parse(await blocked.Content.ReadAsStringAsync()).RootElement;
        Assert.That(body.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("too_many_attempts"));
    }

    [Test]
    public async Task A_clerk_downloads_a_signed_report_that_says_a_later_version_is_in_force()
    {
        var refused = await _public.GetAsync($"/api/tx/{Network.SignV1.TxId}/report.pdf");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "reports are for signed-in staff");
        var (session, who) = await GetJson("/api/session");
        Assert.That(who.GetProperty("reports").GetBoolean(), Is.True);

        var response = await _http.GetAsync($"/api/tx/{Network.SignV1.TxId}/report.pdf");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var check = Reports.ReportSignature.Verify(pdf, Network.Genesis, DateTimeOffset.UtcNow);
        Assert.That(check.IsValid, Is.True, check.Result.Reason);
        Assert.That(check.Issuer!.Role, Is.EqualTo(Core.Identity.Role.Bureau));

        var path = Path.Combine(Network.Directory.FullName, "report-v1.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        var text = TestKit.ProcessRunner.Run("/usr/bin/pdftotext", ["-layout", path, "-"], timeout: TimeSpan.FromSeconds(30));
        Assert.That(text.ExitCode, Is.Zero, text.StdErr);
        Assert.That(text.StdOut, Does.Contain("现行有效的是第 2 版"), "version 1 is superseded, and the report says so");
        Assert.That(text.StdOut, Does.Contain(Network.ContractId));

        // A byte changed breaks the signature.
        pdf[pdf.Length / 2] ^= 0x01;
        Assert.That(Reports.ReportSignature.Verify(pdf, Network.Genesis, DateTimeOffset.UtcNow).IsValid, Is.False);
    }

    [Test]
    public async Task A_clerk_downloads_a_signed_report_of_the_whole_contract_listing_every_event_and_the_superseded_version()
    {
        var path = $"/api/contracts/{Uri.EscapeDataString(Network.ContractId)}/report.pdf";
        var (refused, refusedBody) = await GetJson(path, client: _public);
        AssertError(refused, refusedBody, HttpStatusCode.Unauthorized, "sign_in_required");
        var before = await Network.Client.ListAccessRecordsAsync(Network.ContractId);

        var response = await _http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/pdf"));
        Assert.That(await Network.Client.ListAccessRecordsAsync(Network.ContractId), Has.Count.EqualTo(before.Count + 1), "the read is recorded like any other");
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var check = Reports.ReportSignature.Verify(pdf, Network.Genesis, DateTimeOffset.UtcNow);
        Assert.That(check.IsValid, Is.True, check.Result.Reason);
        Assert.That(check.Issuer!.Role, Is.EqualTo(Core.Identity.Role.Bureau));

        var file = Path.Combine(Network.Directory.FullName, "report-contract.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        var text = TestKit.ProcessRunner.Run("/usr/bin/pdftotext", ["-layout", file, "-"], timeout: TimeSpan.FromSeconds(30));
        Assert.That(text.ExitCode, Is.Zero, text.StdErr);
        var events = new[] { Network.Register, Network.SignV1, Network.Change, Network.SignV2, Network.Dissolve };
        var at = events.Select(e => text.StdOut.IndexOf(e.TxId.ToHex(), StringComparison.Ordinal)).ToArray();
        Assert.That(at, Has.All.GreaterThanOrEqualTo(0), "every event is listed");
        Assert.That(at, Is.Ordered, "in the order of the contract's history");
        foreach (var e in events) Assert.That(text.StdOut, Does.Contain(e.BlockHash.ToHex()), $"the block of the event at height {e.Height}");
        Assert.That(text.StdOut, Does.Contain("第 1 版已被取代，其后生效的是第 2 版"), "version 1 is superseded, as the bundle's state proof shows");
        Assert.That(text.StdOut, Does.Contain("注意：该合同已解除，现已无版本有效"), "and the contract has since been dissolved");
        Assert.That(text.StdOut, Does.Not.Contain("现行有效"), "nothing is in force once the contract is dissolved");
        Assert.That(text.StdOut, Does.Contain("时间担保 Time bound"));
        Assert.That(text.StdOut, Does.Contain(Network.Genesis.Validators[0].DisplayName), "sealers by bureau name");
    }

    [Test]
    public async Task The_contract_report_is_refused_outside_a_bureaus_division_and_where_no_bureau_signs_reports()
    {
        var path = $"/api/contracts/{Uri.EscapeDataString(Network.ContractId)}/report.pdf";
        using var shenzhen = Network.Transport.Http(TimeSpan.FromSeconds(60));
        shenzhen.BaseAddress = Network.ExplorerUrl;
        await Network.SignInAsync(shenzhen, ExplorerNetwork.ShenzhenBureauUser, ExplorerNetwork.InspectionReference);
        var before = await Network.Client.ListAccessRecordsAsync(Network.ContractId);
        var (outside, outsideBody) = await GetJson(path, client: shenzhen);
        AssertError(outside, outsideBody, HttpStatusCode.Forbidden, "outside_scope");
        Assert.That(await Network.Client.ListAccessRecordsAsync(Network.ContractId), Has.Count.EqualTo(before.Count), "a refused read records nothing");

        var (process, url) = await Network.StartExplorerWithoutReportsAsync();
        using (process)
        {
            using var clerk = Network.Transport.Http(TimeSpan.FromSeconds(60));
            clerk.BaseAddress = url;
            await Network.SignInAsync(clerk);
            var (unsigned, body) = await GetJson(path, client: clerk);
            AssertError(unsigned, body, HttpStatusCode.ServiceUnavailable, "no_report_issuer");
            Assert.That(body.GetProperty("error").GetProperty("message").GetString(), Does.Contain("--report-cert"));
            var (session, who) = await GetJson("/api/session", client: clerk);
            Assert.That(who.GetProperty("reports").GetBoolean(), Is.False, "the pages offer no report link there");
        }
    }

    [Test]
    public async Task A_clerk_reading_a_contract_is_recorded_on_chain_with_the_case_number_first()
    {
        var before = await Network.Client.ListAccessRecordsAsync(Network.ContractId);
        var (response, _) = await GetJson($"/api/contracts/{Network.ContractId}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var after = await Network.Client.ListAccessRecordsAsync(Network.ContractId);
        Assert.That(after, Has.Count.EqualTo(before.Count + 1), "committed before the answer");
        Assert.That(after[^1].Reference, Is.EqualTo(ExplorerNetwork.CaseNumber));
        Assert.That(after[^1].OnBehalfOf, Does.Contain(ExplorerNetwork.StaffUser).And.Contain(ExplorerNetwork.StaffInstitution));
        Assert.That(after[^1].Basis, Is.EqualTo(Proto.V1.AccessBasis.CourtCase));
    }

    [Test]
    public async Task A_bureau_account_reads_its_division_recorded_as_an_inspection_and_is_refused_outside_it()
    {
        using var guangzhou = Network.Transport.Http(TimeSpan.FromSeconds(60));
        guangzhou.BaseAddress = Network.ExplorerUrl;
        await Network.SignInAsync(guangzhou, ExplorerNetwork.GuangzhouBureauUser, ExplorerNetwork.InspectionReference);
        using var shenzhen = Network.Transport.Http(TimeSpan.FromSeconds(60));
        shenzhen.BaseAddress = Network.ExplorerUrl;
        await Network.SignInAsync(shenzhen, ExplorerNetwork.ShenzhenBureauUser, ExplorerNetwork.InspectionReference);

        var before = await Network.Client.ListAccessRecordsAsync(Network.ContractId);
        foreach (var path in new[] { $"/api/contracts/{Network.ContractId}", $"/api/tx/{Network.SignV1.TxId}", $"/api/tx/{Network.SignV1.TxId}/evidence" })
        {
            var (refused, body) = await GetJson(path, client: shenzhen);
            AssertError(refused, body, HttpStatusCode.Forbidden, "outside_scope");
        }
        var hash = Crypto.Sm3.Hash(File.ReadAllBytes(Network.DocumentV1Path));
        var (document, publicView) = await GetJson($"/api/documents/{hash}", client: shenzhen);
        Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(publicView.TryGetProperty("contracts", out _), Is.False, "outside its division a bureau gets the public view");
        Assert.That(publicView.ToString(), Does.Not.Contain(Network.ContractId));
        var (block, blockBody) = await GetJson($"/api/blocks/{Network.Register.Height}", client: guangzhou);
        Assert.That(block.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(blockBody.GetProperty("transactions").GetArrayLength(), Is.Zero, "which contracts a block touched is for legal authority");
        Assert.That(await Network.Client.ListAccessRecordsAsync(Network.ContractId), Has.Count.EqualTo(before.Count), "a refused read records nothing");

        var (read, contract) = await GetJson($"/api/contracts/{Network.ContractId}", client: guangzhou);
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(contract.GetProperty("contractId").GetString(), Is.EqualTo(Network.ContractId));
        var after = await Network.Client.ListAccessRecordsAsync(Network.ContractId);
        Assert.That(after, Has.Count.EqualTo(before.Count + 1));
        Assert.That(after[^1].Basis, Is.EqualTo(Proto.V1.AccessBasis.Inspection));
        Assert.That(after[^1].Reference, Is.EqualTo(ExplorerNetwork.InspectionReference));
        Assert.That(after[^1].OnBehalfOf, Does.Contain(ExplorerNetwork.GuangzhouBureauUser));
    }

    [TestCase("/api/tx/not-a-hash", "bad_hash")]
    [TestCase("/api/tx/abc123", "bad_hash")]
    [TestCase("/api/documents/zz", "bad_hash")]
    [TestCase("/api/tx/abc/proof", "bad_hash")]
    [TestCase("/api/blocks/-1", "bad_block_id")]
    public async Task Malformed_ids_are_400_with_a_clear_message(string path, string code)
    {
        var (response, body) = await GetJson(path);
        AssertError(response, body, HttpStatusCode.BadRequest, code);
    }

    [Test]
    public async Task Unknown_ids_are_404()
    {
        var unknown = new string('7', 64);
        foreach (var path in new[] { $"/api/tx/{unknown}", $"/api/tx/{unknown}/proof", $"/api/blocks/{unknown}", "/api/blocks/99999999", "/api/contracts/NO-SUCH-CONTRACT", "/api/nothing/here" })
        {
            var (response, body) = await GetJson(path);
            AssertError(response, body, HttpStatusCode.NotFound, "not_found");
        }
    }

    [Test]
    public async Task Search_finds_heights_tx_ids_contract_ids_and_document_hashes()
    {
        var documentHash = Crypto.Sm3.Hash(File.ReadAllBytes(Network.DocumentV1Path)).ToHex();
        var cases = new (string Query, string Kind, string Id)[]
        {
            (Network.Register.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), "block", Network.Register.Height.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (Network.SignV1.TxId.ToHex().ToUpperInvariant(), "tx", Network.SignV1.TxId.ToHex()),
            (Network.ContractId, "contract", Network.ContractId),
            (documentHash, "document", documentHash),
            (Network.Register.BlockHash.ToHex(), "block", Network.Register.BlockHash.ToHex()),
        };
        foreach (var (query, kind, id) in cases)
        {
            var (response, body) = await GetJson($"/api/search?q={Uri.EscapeDataString(query)}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), query);
            Assert.That(body.GetProperty("kind").GetString(), Is.EqualTo(kind), query);
            Assert.That(body.GetProperty("id").GetString(), Is.EqualTo(id), query);
        }
        var (nothing, nothingBody) = await GetJson("/api/search?q=nobody-knows");
        AssertError(nothing, nothingBody, HttpStatusCode.NotFound, "not_found");
        var (shortHex, shortBody) = await GetJson($"/api/search?q={new string('a', 40)}");
        AssertError(shortHex, shortBody, HttpStatusCode.BadRequest, "bad_hash");
        var (empty, emptyBody) = await GetJson("/api/search?q=");
        AssertError(empty, emptyBody, HttpStatusCode.BadRequest, "bad_query");
    }

    [Test]
    public async Task The_proof_downloads_as_an_attachment_for_staff_only()
    {
        var refused = await _public.GetAsync($"/api/tx/{Network.SignV1.TxId}/proof");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var response = await _http.GetAsync($"/api/tx/{Network.SignV1.TxId}/proof");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Does.StartWith("proof-").And.EndWith(".json"));
        Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
        var proof = EvidenceProof.FromJson(await response.Content.ReadAsStringAsync());
        Assert.That(proof.TxId, Is.EqualTo(Network.SignV1.TxId.ToHex()));
    }

    private async Task<string> ProofJson() => await _http.GetStringAsync($"/api/tx/{Network.SignV1.TxId}/proof");

    private async Task<(HttpResponseMessage Response, JsonElement Body)> Verify(params (string Name, HttpContent Content, string? FileName)[] parts)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content, fileName) in parts)
        {
            if (fileName is null) form.Add(content, name);
            else form.Add(content, name, fileName);
        }
        var response = await _http.PostAsync("/api/proof/verify", form);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static (string, HttpContent, string?) Part(string name, string text, string? fileName = null) => (name, new StringContent(text), fileName ?? name + ".json");

    [Test]
    public async Task A_proof_is_checked_against_the_configured_genesis_and_the_browser_computed_file_hash()
    {
        var proof = await ProofJson();
        var fileHash = Crypto.Sm3.Hash(File.ReadAllBytes(Network.DocumentV1Path)).ToHex();
        var (ok, valid) = await Verify(Part("proof", proof), ("fileHash", new StringContent(fileHash), null));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(valid.GetProperty("valid").GetBoolean(), Is.True, valid.ToString());
        Assert.That(valid.GetProperty("fileMatches").GetBoolean(), Is.True);
        Assert.That(valid.GetProperty("trustAnchor").GetProperty("source").GetString(), Is.EqualTo("configured"));
        Assert.That(valid.GetProperty("report").GetProperty("contractId").GetString(), Is.EqualTo(Network.ContractId));
        var attested = valid.GetProperty("report").GetProperty("attestedTime");
        var consensus = Network.Genesis.Consensus;
        Assert.That(attested.GetProperty("boundMs").GetInt64(), Is.EqualTo(consensus.TimestampPrecisionMs + consensus.MessageDelayMs), "the PBTS bound from genesis");
        Assert.That(attested.GetProperty("quorum").GetInt32(), Is.EqualTo(Core.Blocks.ValidatorSet.Quorum(Network.Genesis.Validators.Count)));

        var (_, withFile) = await Verify(Part("proof", proof), ("file", new ByteArrayContent(File.ReadAllBytes(Network.DocumentV2Path)), "contract.pdf"));
        Assert.That(withFile.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(withFile.GetProperty("code").GetString(), Is.EqualTo("DocumentHashMismatch"));

        var (_, wrongHash) = await Verify(Part("proof", proof), ("fileHash", new StringContent(new string('1', 64)), null));
        Assert.That(wrongHash.GetProperty("code").GetString(), Is.EqualTo("DocumentHashMismatch"));

        var (ownGenesis, ownBody) = await Verify(Part("proof", proof), Part("genesis", File.ReadAllText(Network.GenesisPath)));
        Assert.That(ownBody.GetProperty("valid").GetBoolean(), Is.True, ownBody.ToString());
        Assert.That(ownBody.GetProperty("trustAnchor").GetProperty("source").GetString(), Is.EqualTo("uploaded"));
    }

    [Test]
    public async Task A_tampered_proof_or_a_foreign_genesis_is_rejected_with_the_reason()
    {
        var proof = EvidenceProof.FromJson(await ProofJson());
        var receipt = Convert.FromBase64String(proof.Receipt);
        receipt[^1] ^= 1;
        var (response, tampered) = await Verify(Part("proof", (proof with { Receipt = Convert.ToBase64String(receipt) }).ToJson()));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tampered.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(tampered.GetProperty("code").GetString(), Is.Not.EqualTo("Ok"));
        Assert.That(tampered.GetProperty("reason").GetString(), Is.Not.Empty);

        var foreign = new TestKit.Network.TestConsortium(chainId: "another-chain");
        var (_, foreignBody) = await Verify(Part("proof", proof.ToJson()), Part("genesis", foreign.Genesis.ToJson()));
        Assert.That(foreignBody.GetProperty("code").GetString(), Is.EqualTo("WrongChainId"));
    }

    [Test]
    public async Task A_block_sealed_by_a_self_issued_validator_is_not_evidence_even_for_the_anchored_file()
    {
        // With the root CA's key (or a city CA's): a Validator certificate of one's own, a block sealed alone that
        // anchors the very file the court holds. Sound cryptography, but not the chain's validators.
        var impostor = TestKit.Builders.TestNetwork.Impostor(Network.Root, Network.Genesis.ChainId);
        var document = File.ReadAllBytes(Network.DocumentV1Path);
        var envelope = TestKit.Builders.TestContracts.Envelope(impostor,
            TestKit.Builders.TestContracts.Register("GZ-FORGED-EXPLORER", Crypto.Sm3.Hash(document)), impostor.Integrator, impostor.Employer);
        var receipt = new Core.Blocks.Receipt { TxId = Core.Transactions.TxEnvelope.Decode(envelope).ComputeId(Crypto.Sm3Hasher.Instance) };
        var block = TestKit.Builders.TestBlocks.Build(impostor, 3, [envelope], [receipt], time: DateTimeOffset.UtcNow, sealers: [0]);
        var forged = TestKit.Builders.TestBlocks.Proof(impostor, block, 0);

        var (response, body) = await Verify(Part("proof", forged.ToJson()), ("file", new ByteArrayContent(document), "contract.pdf"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("valid").GetBoolean(), Is.False, body.ToString());
        Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("UnknownValidatorSet"));
    }

    [Test]
    public async Task Bad_uploads_get_clear_errors_and_oversize_ones_413()
    {
        var (missing, missingBody) = await Verify(Part("genesis", "{}"));
        AssertError(missing, missingBody, HttpStatusCode.BadRequest, "missing_proof");
        var (garbage, garbageBody) = await Verify(Part("proof", "{ not json"));
        AssertError(garbage, garbageBody, HttpStatusCode.BadRequest, "invalid_proof");
        var (badGenesis, badGenesisBody) = await Verify(Part("proof", await ProofJson()), Part("genesis", "[]"));
        AssertError(badGenesis, badGenesisBody, HttpStatusCode.BadRequest, "bad_genesis");
        var (badHash, badHashBody) = await Verify(Part("proof", await ProofJson()), ("fileHash", new StringContent("xyz"), null));
        AssertError(badHash, badHashBody, HttpStatusCode.BadRequest, "bad_hash");

        var (bigProof, bigProofBody) = await Verify(("proof", new ByteArrayContent(new byte[1024 * 1024 + 1]), "proof.json"));
        AssertError(bigProof, bigProofBody, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        // Above the whole request's cap: refused from its Content-Length, before the body is read (the client waits
        // for "100 Continue", which never comes).
        using var huge = new HttpRequestMessage(HttpMethod.Post, "/api/proof/verify") { Content = new ByteArrayContent(new byte[70 * 1024 * 1024]) };
        huge.Content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data") { Parameters = { new NameValueHeaderValue("boundary", "x") } };
        huge.Headers.ExpectContinue = true;
        var hugeResponse = await _http.SendAsync(huge);
        var hugeBody = JsonDocument.Parse(await hugeResponse.Content.ReadAsStringAsync()).RootElement;
        AssertError(hugeResponse, hugeBody, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Test]
    public async Task Pages_load_nothing_from_outside_the_explorer()
    {
        var index = await _http.GetAsync("/verify");
        Assert.That(index.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(index.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'self'"));
        foreach (var path in new[] { "/", "/assets/app.js", "/assets/app.css", "/assets/i18n.js", "/assets/sm3.js", "/assets/sm3-worker.js" })
        {
            var text = await _http.GetStringAsync(path);
            Assert.That(text, Does.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("//cdn"), path);
        }
        var library = await _http.GetAsync("/lib/qrcode.js");
        Assert.That(library.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the npm library is served by the explorer itself");
        Assert.That(await library.Content.ReadAsStringAsync(), Does.Contain("qrcode"));
    }
}
