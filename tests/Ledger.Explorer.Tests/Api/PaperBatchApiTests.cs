using System.Net;
using System.Text.Json;
using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Explorer.Tests.Support;

namespace Ledger.Explorer.Tests.Api;

/// <summary>
/// The explorer and a paper batch a bureau anchored: its public "is this file anchored" answers for a batch document (and
/// only the public facts), and its verify API accepts the document's proof with the file and says it is in the batch.
/// </summary>
public class PaperBatchApiTests
{
    private static ExplorerNetwork Network => ExplorerNetwork.Instance;
    private static readonly byte[] Scan = "扫描件：2019 年纸质劳动合同"u8.ToArray();
    private HttpClient _public = null!;
    private PaperBatchPlan _plan = null!;

    [OneTimeSetUp]
    public async Task AnchorABatch()
    {
        _public = Network.Transport.Http(TimeSpan.FromSeconds(30));
        _public.BaseAddress = Network.ExplorerUrl;
        var key = Sm2PrivateKey.Generate();
        var bureau = Network.Root.Issue(new CertificateRequest("广州市人力资源和社会保障局 档案科", Role.Bureau, DivisionCode.Parse("440100"), key.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
        _plan = PaperBatchPlan.Create(
            [new PaperBatchLeaf(Sm3.Hash(Scan), "GZ-PAPER-2019-001", EvidenceGrade.PaperScan),
             .. Enumerable.Range(2, 4).Select(i => new PaperBatchLeaf(Sm3.Hash(BitConverter.GetBytes(i)), $"GZ-PAPER-2019-{i:D3}", EvidenceGrade.PaperScan))],
            Sm3.Hash("manifest"u8));
        foreach (var step in new UploadPaperBatchPayload[] { _plan.Part(0), _plan.Seal() })
        {
            var txId = await Network.Client.SubmitAsync(PaperBatchPlan.Sign(step, Network.Genesis.ChainId, bureau, key));
            var committed = await Network.Client.WaitForCommitAsync(txId, TimeSpan.FromSeconds(30));
            Assert.That(committed.Receipt.Code, Is.EqualTo(ErrorCode.Ok), committed.Receipt.Message);
        }
    }

    [OneTimeTearDown]
    public void Dispose() => _public.Dispose();

    [Test]
    public async Task The_public_lookup_says_a_batch_document_is_anchored_with_the_public_facts_only()
    {
        var response = await _public.GetAsync($"/api/documents/{Sm3.Hash(Scan).ToHex()}");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("anchored").GetBoolean(), Is.True);
        Assert.That(body.GetProperty("anchors").GetArrayLength(), Is.Zero, "no tx of its own");
        var batch = body.GetProperty("batches")[0];
        Assert.That(batch.GetProperty("documentCount").GetInt32(), Is.EqualTo(5));
        Assert.That(batch.GetProperty("status").GetString(), Is.EqualTo("anchored"));
        Assert.That(body.ToString(), Does.Not.Contain("GZ-PAPER-2019-001"), "the contract is not for the public");

        var outside = JsonDocument.Parse(await _public.GetStringAsync($"/api/documents/{Sm3.Hash("not in the batch"u8).ToHex()}")).RootElement;
        Assert.That(outside.GetProperty("anchored").GetBoolean(), Is.False);
        Assert.That(outside.GetProperty("batches").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task The_verify_api_accepts_a_batch_documents_proof_with_its_file_and_says_where_it_is_in_the_batch()
    {
        var proof = await Network.Client.GetBatchDocumentEvidenceAsync(Sm3.Hash(Scan));
        Assert.That(proof, Is.Not.Null);
        async Task<JsonElement> Verify(byte[] file)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(proof!.ToJson()), "proof", "proof.json" },
                { new ByteArrayContent(file), "file", "scan.pdf" },
            };
            var response = await _public.PostAsync("/api/proof/verify", form);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        var valid = await Verify(Scan);
        Assert.That(valid.GetProperty("valid").GetBoolean(), Is.True, valid.ToString());
        Assert.That(valid.GetProperty("fileMatches").GetBoolean(), Is.True);
        var report = valid.GetProperty("report");
        Assert.That(report.GetProperty("contractId").GetString(), Is.EqualTo("GZ-PAPER-2019-001"));
        Assert.That(report.GetProperty("batch").GetProperty("index").GetInt32(), Is.Zero);
        Assert.That(report.GetProperty("batch").GetProperty("count").GetInt32(), Is.EqualTo(5));
        Assert.That(report.GetProperty("batch").GetProperty("root").GetString(), Is.EqualTo(_plan.Root.ToHex()));

        var other = await Verify("another file"u8.ToArray());
        Assert.That(other.GetProperty("valid").GetBoolean(), Is.False);
        Assert.That(other.GetProperty("code").GetString(), Is.EqualTo(nameof(ErrorCode.DocumentHashMismatch)));
    }
}
