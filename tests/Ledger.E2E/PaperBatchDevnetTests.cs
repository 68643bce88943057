using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Crypto;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// The acceptance of issue 18's paper batches on a real devnet process: <c>ledger contract upload-paper-batch</c> (the real
/// executable) anchors a batch; a random document is found by hash and its proof, fetched from the node, verifies offline
/// against genesis; a document not in the batch is not anchored. The 100,000-document form also kills the upload half
/// way and runs it again: every document ends up anchored, once.
/// </summary>
[NonParallelizable]
public class PaperBatchDevnetTests
{
    // 28 s on these 2 cores under other sessions' builds (load average ~15): under a minute, so in the normal suite.
    [Test]
    public Task A_batch_of_100000_documents_anchors_through_a_kill_and_a_random_documents_proof_verifies_offline() => Run(100_000, killHalfWay: true);

    private static string Hash(string seed) => Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(seed)).ToHex();

    private static async Task Run(int documents, bool killHalfWay)
    {
        using var devnet = new DevnetFixture();
        using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig());
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), node);
        var net = devnet.Directory.FullName;
        var manifest = Path.Combine(net, "legacy.csv");
        await File.WriteAllLinesAsync(manifest, Enumerable.Range(0, documents)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"{Hash($"paper {i}")},GZ-LEGACY-{i:D7},{(i % 7 == 0 ? 1 : 2)}")));
        var environment = new Dictionary<string, string> { ["LEDGER_PASSPHRASE"] = (await File.ReadAllTextAsync(Path.Combine(net, "passphrase"))).Trim() };
        string[] upload =
        [
            "contract", "upload-paper-batch", "--manifest", manifest, "--node", devnet.GrpcAddress().ToString(), "--transport-ca", Path.Combine(net, "transport-ca.pem"),
            // A Bureau certificate of Guangzhou (the signer's: network init makes no other); an operator's acts on chain in no capacity.
            "--key", Path.Combine(net, "signers", "guangzhou", "signer.key"), "--cert", Path.Combine(net, "signers", "guangzhou", "signer.pem"),
            "--passphrase-env", "LEDGER_PASSPHRASE", "--allow-weak-kdf",
        ];

        var state = manifest + ".batch-state.json";
        if (killHalfWay)
        {
            using var first = LedgerProcess.StartIn(null, environment, upload);
            var deadline = Stopwatch.StartNew();
            while (PartsRecorded(state) < 10)
            {
                Assert.That(first.HasExited, Is.False, $"the upload ended before it could be killed:\n{first.Output}");
                Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromMinutes(3)), "no part was recorded");
                await Task.Delay(20);
            }
            first.Kill();
            Assert.That(PartsRecorded(state), Is.LessThan(UploadParts(documents)), "killed half way, not at the end");
        }
        var clock = Stopwatch.StartNew();
        var (exit, output) = LedgerProcess.Run(environment, upload);
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain($"{documents} documents anchored by seal tx"));
        if (killHalfWay) Assert.That(output, Does.Contain("resuming"));
        TestContext.Out.WriteLine($"{documents} documents in {clock.Elapsed.TotalSeconds:0.0} s: {output.Split('\n').Last(l => l.Contains("sealed:", StringComparison.Ordinal))}");

        using var client = devnet.Connect();
        var index = new Random(18).Next(documents);
        var document = Hash($"paper {index}");
        var hits = await client.FindBatchDocumentsAsync(Hash32.Parse(document));
        Assert.That(hits, Has.Count.EqualTo(1), "in the batch, once (even through a kill and a re-run)");
        Assert.That(hits[0].LeafIndex, Is.EqualTo((uint)index));
        Assert.That(hits[0].ContractId, Is.EqualTo($"GZ-LEGACY-{index:D7}"));
        using (var anonymous = devnet.ConnectAnonymously())
        {
            var seen = await anonymous.FindBatchDocumentsAsync(Hash32.Parse(document));
            Assert.That(seen.Single().Redacted, Is.True, "anyone learns it is anchored, when, and the batch size; not the contract");
            Assert.That(seen.Single().ContractId, Is.Empty);
            Assert.That(await anonymous.FindBatchDocumentsAsync(Hash32.Parse(Hash("not in the batch"))), Is.Empty, "not anchored");
            Assert.That(await anonymous.FindAnchorsAsync(Hash32.Parse(Hash("not in the batch"))), Is.Empty);
        }

        var proof = await client.GetBatchDocumentEvidenceAsync(Hash32.Parse(document));
        Assert.That(proof, Is.Not.Null);
        var genesis = Core.Genesis.GenesisDocument.FromJson(await File.ReadAllTextAsync(Path.Combine(net, "genesis.json")));
        var report = EvidenceVerifier.Verify(EvidenceProof.FromJson(proof!.ToJson()), genesis);
        Assert.That(report.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.DocumentHash!.Value.ToHex(), Is.EqualTo(document));
        Assert.That(report.PaperBatch!.Count, Is.EqualTo(documents));
        Assert.That(await client.GetBatchDocumentEvidenceAsync(Hash32.Parse(Hash("not in the batch"))), Is.Null);
    }

    private static int UploadParts(int documents) => (documents + 1023) / 1024;

    private static int PartsRecorded(string state)
    {
        try
        {
            return File.Exists(state) ? JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("parts").GetArrayLength() : 0;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return 0;
        }
    }
}
