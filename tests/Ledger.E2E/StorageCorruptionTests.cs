using Ledger.Storage;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// Issue 16: the consensus WAL and the tx journal cut only a torn final record; damage before the end stops
/// <c>ledger node</c> with one clear line (exit 2) instead of silently discarding the records after it.
/// </summary>
public class StorageCorruptionTests
{
    private static void WriteDamaged(string path, params string[] records)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var log = new AppendLog(path))
            foreach (var record in records) log.Append(System.Text.Encoding.UTF8.GetBytes(record));
        var bytes = File.ReadAllBytes(path);
        bytes[8 + 2] ^= 0x01; // inside the first record's payload: intact records follow it
        File.WriteAllBytes(path, bytes);
    }

    private static void AssertRefusedInOneLine(DevnetFixture devnet, string name, string file)
    {
        var (exit, output) = LedgerProcess.Run("node", "--config", devnet.NodeConfig(name));
        Assert.That(exit, Is.EqualTo(2), output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), output);
        Assert.That(lines[0], Does.StartWith("ledger: ").And.Contain(file).And.Contain("damaged before its end").And.Contain("record 0 at byte 0"));
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void A_validator_with_a_consensus_wal_damaged_before_its_end_refuses_to_start()
    {
        using var devnet = new DevnetFixture(validators: 4);
        var name = devnet.ValidatorNames[0];
        var wal = Path.Combine(Path.GetDirectoryName(devnet.NodeConfig(name))!, "data", "consensus.wal");
        WriteDamaged(wal, "prepare h=1 r=0", "commit h=1 r=0", "round-change h=1 r=1");
        var before = File.ReadAllBytes(wal);
        AssertRefusedInOneLine(devnet, name, "consensus.wal");
        Assert.That(File.ReadAllBytes(wal), Is.EqualTo(before), "nothing was cut");
    }

    [Test]
    public void A_node_with_a_tx_journal_damaged_before_its_end_refuses_to_start()
    {
        using var devnet = new DevnetFixture();
        var journal = Path.Combine(Path.GetDirectoryName(devnet.NodeConfig())!, "data", "tx.journal");
        WriteDamaged(journal, "\0\0\0\u0004abcd", "\0\0\0\u0004efgh");
        AssertRefusedInOneLine(devnet, "guangdong", "tx.journal");
    }
}
