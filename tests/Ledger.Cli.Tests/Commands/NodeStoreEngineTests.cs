using System.Text.Json.Nodes;
using Ledger.Core;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// The node config's <c>store</c>: LiteDB by default, RocksDB when asked, the choice kept by what is on disk, and an unknown
/// engine refused in one line.
/// </summary>
public class NodeStoreEngineTests
{
    private readonly CliHarness _cli = new();
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void Init()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-store-engine-");
        var (exit, _, error) = _cli.Run("network", "init", "--preset", "devnet", "--validators", "1", "--out", _dir.FullName, "--kdf-iterations", "1000",
            "--base-port", "1130");
        Assert.That(exit, Is.Zero, error);
    }

    [TearDown]
    public void Cleanup() => _dir.Delete(recursive: true);

    private string ConfigPath => Path.Combine(_dir.FullName, "nodes", "guangdong", "config.json");

    private NodeConfig WithStore(string? store)
    {
        var json = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        json.Remove("store");
        if (store is not null) json["store"] = store;
        File.WriteAllText(ConfigPath, json.ToJsonString());
        return NodeConfig.Load(ConfigPath);
    }

    [Test]
    public async Task A_node_configured_for_rocksdb_keeps_its_chain_there_and_snapshots_it_as_a_checkpoint()
    {
        var config = WithStore("rocksdb");
        var data = config.Resolve(config.DataDir);
        ulong height;
        using (var runtime = NodeRuntime.Open(config, NullLoggerFactory.Instance))
        {
            Assert.That(runtime.StoreEngine, Is.EqualTo("rocksdb"));
            height = runtime.Chain.Head.Height;
            // The online snapshot: a checkpoint beside the store, streamed as a tar of its files, gone once disposed.
            var tar = new MemoryStream();
            await using (var snapshot = runtime.OpenStoreSnapshot())
            {
                Assert.That(snapshot.Engine, Is.EqualTo("rocksdb"));
                Assert.That(Directory.EnumerateDirectories(data, "backup-*.rocksdb").Count(), Is.EqualTo(1));
                await snapshot.WriteToAsync(tar, CancellationToken.None);
            }
            Assert.That(Directory.EnumerateDirectories(data, "backup-*.rocksdb"), Is.Empty);
            tar.Position = 0;
            var copy = Path.Combine(_dir.FullName, "copy.rocksdb");
            Directory.CreateDirectory(copy);
            System.Formats.Tar.TarFile.ExtractToDirectory(tar, copy, overwriteFiles: false);
            var summary = Ledger.Node.Admin.StoreSummary.Read(copy, File.ReadAllBytes(config.Resolve(config.Genesis)));
            Assert.That(summary.Height, Is.EqualTo(height));
            Assert.That(summary.BlockHash, Is.EqualTo(runtime.Chain.Head.Hash));
        }
        Assert.That(Directory.Exists(Path.Combine(data, NodeRuntime.RocksDbDirectoryName)), Is.True);
        Assert.That(File.Exists(Path.Combine(data, NodeRuntime.StoreFileName)), Is.False);
        using (var reopened = NodeRuntime.Open(config, NullLoggerFactory.Instance))
        {
            Assert.That(reopened.Chain.Head.Height, Is.EqualTo(height));
            Assert.That(reopened.Chain.GetBlock(0), Is.Not.Null, "genesis is read back from RocksDB");
        }

        // The same data directory with the default engine: refused, not a fresh empty chain beside the real one.
        var refusal = Assert.Throws<LedgerException>(() => NodeRuntime.Open(WithStore(null), NullLoggerFactory.Instance).Dispose());
        Assert.That(refusal.Message, Does.Contain("holds a RocksDB store").And.Contain("store: \"rocksdb\""));
    }

    [Test]
    public void The_default_engine_is_litedb_and_a_litedb_data_directory_is_not_opened_as_rocksdb()
    {
        using (var runtime = NodeRuntime.Open(WithStore(null), NullLoggerFactory.Instance))
        {
            Assert.That(runtime.StoreEngine, Is.EqualTo("litedb"));
            var snapshot = runtime.OpenStoreSnapshot();
            Assert.That(snapshot.Engine, Is.EqualTo("litedb"));
            Assert.That(snapshot.Length, Is.GreaterThan(0));
            snapshot.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        var refusal = Assert.Throws<LedgerException>(() => NodeRuntime.Open(WithStore("rocksdb"), NullLoggerFactory.Instance).Dispose());
        Assert.That(refusal.Message, Does.Contain("holds a LiteDB store"));
    }

    [Test]
    public void An_unknown_store_engine_is_refused_in_one_line()
    {
        var json = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        json["store"] = "leveldb";
        File.WriteAllText(ConfigPath, json.ToJsonString());
        var (exit, _, error) = _cli.Run("node", "--config", ConfigPath);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.Trim(), Does.EndWith("store is \"leveldb\"; it is one of litedb, rocksdb"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }
}
