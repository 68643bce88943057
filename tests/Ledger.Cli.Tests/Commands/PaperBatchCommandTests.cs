using System.Globalization;
using System.Text.Json;
using Ledger.Cli.Commands;
using Ledger.Crypto;
using Ledger.Node.Config;
using Ledger.Node.Hosting;

namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger contract upload-paper-batch</c> against a real one-validator node in this process: a manifest with a bad line
/// is refused whole (one line naming it, exit 2, nothing submitted); a good one anchors every document, each then found
/// by <c>ledger find</c> and proved by <c>ledger proof get --document</c> / <c>proof verify</c>; a re-run after a kill
/// (a state file naming fewer parts than the chain has) finishes without anchoring anything twice.
/// </summary>
[NonParallelizable]
public class PaperBatchCommandTests
{
    private DirectoryInfo _dir = null!;
    private NodeHost _node = null!;
    private CliHarness _cli = null!;
    private string[] _common = null!;

    [OneTimeSetUp]
    public async Task StartNode()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-batch-cli-");
        _cli = new CliHarness();
        var init = _cli.Run("network", "init", "--preset", "devnet", "--validators", "1", "--out", Path.Combine(_dir.FullName, "net"), "--kdf-iterations", "1000");
        Assert.That(init.Exit, Is.Zero, init.Out + init.Error);
        var net = Path.Combine(_dir.FullName, "net");
        _cli.Set("LEDGER_PASSPHRASE", File.ReadAllText(Path.Combine(net, "passphrase")).Trim());
        var config = NodeConfig.Load(Path.Combine(net, "nodes", "guangdong", "config.json")) with { GrpcListen = "127.0.0.1:0", HttpListen = "127.0.0.1:0" };
        _node = await NodeHost.StartAsync(config, logging: _ => { });
        _common =
        [
            "--node", _node.GrpcEndpoint.ToString(), "--transport-ca", Path.Combine(net, "transport-ca.pem"),
            // A Bureau certificate of Guangzhou (the signer's: network init makes no other); an operator's acts on chain in no capacity.
            "--key", Path.Combine(net, "signers", "guangzhou", "signer.key"), "--cert", Path.Combine(net, "signers", "guangzhou", "signer.pem"),
            "--passphrase-env", "LEDGER_PASSPHRASE", "--allow-weak-kdf",
        ];
    }

    [OneTimeTearDown]
    public async Task StopNode()
    {
        await _node.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private string Manifest(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string Hash(string seed) => Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(seed)).ToHex();

    private (int Exit, string Out, string Error) Upload(string manifest) => _cli.Run(["contract", "upload-paper-batch", "--manifest", manifest, .. _common]);

    private (int Exit, string Out, string Error) Find(string hash) => _cli.Run("find", "--hash", hash, "--node", _common[1], "--transport-ca", _common[3]);

    [Test]
    public void A_manifest_with_a_bad_line_is_refused_whole_naming_the_line()
    {
        var good = Enumerable.Range(0, 5).Select(i => $"{Hash($"refused {i}")},GZ-REFUSED-{i},paper-scan").ToList();
        var cases = new (string Line, string Says)[]
        {
            ("abc,GZ-X,paper-scan", "neither an SM3 hash"),
            ($"{Hash("x")},GZ-X", "expected 3 comma-separated fields"),
            ($"{Hash("y")},GZ-Y,photocopy", "grade 'photocopy'"),
            ($"{Hash("refused 1")},GZ-AGAIN,2", "already on line 3"),
            ($"{Hash("z")},{new string('Z', 65)},2", "contract id"),
        };
        foreach (var (line, says) in cases)
        {
            var path = Manifest($"bad-{Guid.NewGuid():N}.csv", ["document,contract_id,grade", good[0], good[1], good[2], line, good[3]]);
            var run = Upload(path);
            Assert.That(run.Exit, Is.EqualTo(ExitCode.BadInput), line);
            Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
            Assert.That(run.Error, Does.Contain("manifest line 5").And.Contain(says).And.Contain("nothing submitted"), line);
            Assert.That(File.Exists(path + ".batch-state.json"), Is.False, "nothing was submitted");
        }
        Assert.That(Find(Hash("refused 0")).Exit, Is.EqualTo(ExitCode.Negative), "no document of a refused manifest is anchored");
        var json = Manifest("bad.jsonl", ["{\"document\": \"" + Hash("j") + "\", \"contractId\": \"GZ-J\", \"grade\": 2}", "{\"document\": 5}"]);
        var refused = Upload(json);
        Assert.That(refused.Exit, Is.EqualTo(ExitCode.BadInput));
        Assert.That(refused.Error, Does.Contain("manifest line 2"));
    }

    [Test]
    public void A_batch_anchors_every_document_and_a_rerun_after_a_kill_anchors_nothing_twice()
    {
        // 1,500 documents: two parts. Some by file (hashed by the CLI), the rest by hash; a CSV header and a comment.
        var scans = Path.Combine(_dir.FullName, "scans");
        Directory.CreateDirectory(scans);
        var lines = new List<string> { "document,contract_id,grade", "# legacy contracts of 2019" };
        for (var i = 0; i < 1500; i++)
        {
            if (i < 3)
            {
                File.WriteAllText(Path.Combine(scans, $"{i}.pdf"), $"scan {i}");
                lines.Add($"scans/{i}.pdf,GZ-2019-{i:D5},paper-scan");
            }
            else
            {
                lines.Add($"{Hash($"batch doc {i}")},GZ-2019-{i:D5},{(i % 4 == 0 ? "electronic-signature" : "2")}");
            }
        }
        var manifest = Manifest("legacy.csv", lines);
        var run = Upload(manifest);
        Assert.That(run.Exit, Is.Zero, run.Out + run.Error);
        Assert.That(run.Out, Does.Contain("1500 documents in 2 parts").And.Contain("part 2/2").And.Contain("sealed: batch"));
        var state = JsonDocument.Parse(File.ReadAllText(manifest + ".batch-state.json")).RootElement;
        Assert.That(state.GetProperty("parts").GetArrayLength(), Is.EqualTo(2));

        var byFile = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes("scan 1")).ToHex();
        var found = Find(byFile);
        Assert.That(found.Exit, Is.Zero, found.Out + found.Error);
        Assert.That(found.Out, Does.Contain("paper batch (anchored)").And.Contain("1500 documents"));
        var outsider = Find(Hash("never in any batch"));
        Assert.That(outsider.Exit, Is.EqualTo(ExitCode.Negative));
        Assert.That(outsider.Error, Does.Contain("not anchored"));

        // The proof of a random document, fetched by the bureau and verified offline.
        var index = 3 + new Random(18).Next(1497);
        var proofPath = Path.Combine(_dir.FullName, "doc-proof.json");
        var get = _cli.Run(["proof", "get", "--document", Hash($"batch doc {index}"), "--out", proofPath, .. _common.Where((_, i) => i < 4), "--cert", _common[7], "--key", _common[5], "--passphrase-env", "LEDGER_PASSPHRASE", "--allow-weak-kdf"]);
        Assert.That(get.Exit, Is.Zero, get.Out + get.Error);
        var verify = _cli.Run("proof", "verify", proofPath, "--genesis", Path.Combine(_dir.FullName, "net", "genesis.json"));
        Assert.That(verify.Exit, Is.Zero, verify.Out + verify.Error);
        Assert.That(verify.Out, Does.Contain($"document {index + 1} of 1500").And.Contain($"GZ-2019-{index:D5}"));

        // Killed after part 1 was recorded: the state names one part, the chain has both and the seal.
        File.WriteAllText(manifest + ".batch-state.json", JsonSerializer.Serialize(new
        {
            root = state.GetProperty("root").GetString(), documents = 1500, parts = new[] { 0 }, sealTxId = (string?)null, sealHeight = 0,
        }));
        var rerun = Upload(manifest);
        Assert.That(rerun.Exit, Is.Zero, rerun.Out + rerun.Error);
        Assert.That(rerun.Out, Does.Contain("resuming: 1 parts already on chain").And.Contain("already sealed"));
        Assert.That(Find(Hash("batch doc 1400")).Out.Split('\n').Count(l => l.Contains("paper batch", StringComparison.Ordinal)), Is.EqualTo(1),
            "the document is in one sealed batch, once");
    }
}
