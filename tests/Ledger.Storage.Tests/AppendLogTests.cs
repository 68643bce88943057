using Ledger.Storage;

namespace Ledger.Storage.Tests;

public class AppendLogTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ledger-wal-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Test]
    public void Records_come_back_in_order_after_reopening()
    {
        using (var log = new AppendLog(PathOf("wal")))
        {
            for (var i = 0; i < 100; i++) log.Append(BitConverter.GetBytes(i).Concat(new byte[i]).ToArray());
        }
        using var reopened = new AppendLog(PathOf("wal"));
        var records = reopened.ReadAll();
        Assert.That(records, Has.Count.EqualTo(100));
        for (var i = 0; i < 100; i++) Assert.That(BitConverter.ToInt32(records[i]), Is.EqualTo(i));
        Assert.That(records[99], Has.Length.EqualTo(103));
    }

    [Test]
    public void A_torn_last_record_is_dropped_and_the_log_continues_cleanly()
    {
        using (var log = new AppendLog(PathOf("wal")))
        {
            log.Append("first"u8);
            log.Append("second"u8);
        }
        var bytes = File.ReadAllBytes(PathOf("wal"));
        for (var cut = bytes.Length - 1; cut > bytes.Length - 14; cut--)
        {
            File.WriteAllBytes(PathOf("torn"), bytes[..cut]);
            using var log = new AppendLog(PathOf("torn"));
            var records = log.ReadAll();
            Assert.That(records.Select(r => System.Text.Encoding.UTF8.GetString(r)), Is.EqualTo(new[] { "first" }), $"cut at {cut}");
            log.Append("third"u8);
            Assert.That(log.ReadAll().Select(r => System.Text.Encoding.UTF8.GetString(r)), Is.EqualTo(new[] { "first", "third" }));
        }
    }

    [Test]
    public void A_damaged_record_ends_the_log_at_the_last_good_one()
    {
        using (var log = new AppendLog(PathOf("wal")))
        {
            log.Append("one"u8);
            log.Append("two"u8);
            log.Append("three"u8);
        }
        var bytes = File.ReadAllBytes(PathOf("wal"));
        bytes[8 + 3 + 8] ^= 0x40; // first payload byte of "two"
        File.WriteAllBytes(PathOf("wal"), bytes);
        using var reopened = new AppendLog(PathOf("wal"));
        Assert.That(reopened.ReadAll().Select(r => System.Text.Encoding.UTF8.GetString(r)), Is.EqualTo(new[] { "one" }));
        Assert.That(new FileInfo(PathOf("wal")).Length, Is.EqualTo(8 + 3), "truncated after the last good record");
    }

    [Test]
    public void Rewrite_replaces_the_log_and_appends_continue()
    {
        using var log = new AppendLog(PathOf("wal"));
        log.Append("a"u8);
        log.Append("b"u8);
        log.Rewrite([[(byte)'z']]);
        log.Append("c"u8);
        Assert.That(log.ReadAll().Select(r => System.Text.Encoding.UTF8.GetString(r)), Is.EqualTo(new[] { "z", "c" }));
    }

    [Test]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926u));
}
