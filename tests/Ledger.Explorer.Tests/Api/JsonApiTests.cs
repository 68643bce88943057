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

    [OneTimeSetUp]
    public void CreateClient()
    {
        _http = Network.Transport.Http(TimeSpan.FromSeconds(20));
        _http.BaseAddress = Network.ExplorerUrl;
    }

    [OneTimeTearDown]
    public void DisposeClient() => _http.Dispose();

    private async Task<(HttpResponseMessage Response, JsonElement Body)> GetJson(string path, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(ifNoneMatch));
        var response = await _http.SendAsync(request);
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
    public async Task A_block_below_the_head_and_a_committed_tx_are_immutable_with_an_etag()
    {
        var (block, body) = await GetJson($"/api/blocks/{Network.Register.Height}");
        Assert.That(block.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(block.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));
        Assert.That(block.Headers.ETag, Is.Not.Null);
        Assert.That(body.GetProperty("hash").GetString(), Is.EqualTo(Network.Register.BlockHash.ToHex()));
        Assert.That(body.GetProperty("seals").GetArrayLength(), Is.EqualTo(1));
        var (again, _) = await GetJson($"/api/blocks/{Network.Register.Height}", block.Headers.ETag!.Tag);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));

        var (byHash, _) = await GetJson($"/api/blocks/{Network.Register.BlockHash}");
        Assert.That(byHash.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));

        var (tx, txBody) = await GetJson($"/api/tx/{Network.SignV1.TxId}");
        Assert.That(tx.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));
        Assert.That(tx.Headers.ETag?.Tag, Is.EqualTo($"\"{Network.SignV1.TxId}\""));
        var signers = txBody.GetProperty("endorsements").EnumerateArray().ToArray();
        Assert.That(signers.Select(s => s.GetProperty("role").GetString()), Does.Contain("Employer").And.Contain("Worker"));
        Assert.That(signers.First(s => s.GetProperty("role").GetString() == "Employer").GetProperty("subject").GetString(), Does.Contain("广州示例科技有限公司"));
        Assert.That(signers.First(s => s.GetProperty("role").GetString() == "Worker").TryGetProperty("subject", out _), Is.False, "no worker identity");
        var (txAgain, _) = await GetJson($"/api/tx/{Network.SignV1.TxId}", tx.Headers.ETag!.Tag);
        Assert.That(txAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
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
    public async Task The_proof_downloads_as_an_attachment_and_is_immutable()
    {
        var response = await _http.GetAsync($"/api/tx/{Network.SignV1.TxId}/proof");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Does.StartWith("proof-").And.EndWith(".json"));
        Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("public, max-age=31536000, immutable"));
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
