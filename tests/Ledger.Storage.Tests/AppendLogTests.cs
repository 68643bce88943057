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

    private byte[] ThreeRecords()
    {
        using (var log = new AppendLog(PathOf("wal")))
        {
            log.Append("one"u8);
            log.Append("two"u8);
            log.Append("three"u8);
        }
        return File.ReadAllBytes(PathOf("wal"));
    }

    private static string[] Text(IReadOnlyList<byte[]> records) => records.Select(r => System.Text.Encoding.UTF8.GetString(r)).ToArray();

    [Test]
    public void A_damaged_record_before_the_end_is_refused_and_nothing_is_cut()
    {
        var bytes = ThreeRecords();
        bytes[8 + 3 + 8] ^= 0x40; // first payload byte of "two": "three" follows it
        File.WriteAllBytes(PathOf("wal"), bytes);
        using var reopened = new AppendLog(PathOf("wal"));
        var e = Assert.Throws<AppendLogCorruptException>(() => reopened.ReadAll());
        Assert.That(e!.Code, Is.EqualTo(Ledger.Core.ErrorCode.StorageCorrupt));
        Assert.That(e.Offset, Is.EqualTo(8 + 3));
        Assert.That(e.Message, Does.Contain("record 1 at byte 11").And.Contain("checksum").And.Not.Contain("\n"));
        Assert.That(File.ReadAllBytes(PathOf("wal")), Is.EqualTo(bytes), "the signed records after the damage are kept on disk");
    }

    [Test]
    public void A_damaged_length_before_the_end_is_refused_not_taken_for_a_torn_tail()
    {
        var bytes = ThreeRecords();
        foreach (var (value, what) in new[] { (0x7F, "huge"), (0x00, "past the end"), (0xFF, "negative") })
        {
            var damaged = bytes.ToArray();
            damaged[8 + 3] = (byte)value; // the length of "two": beyond the file, or negative
            if (what == "past the end") damaged[8 + 3 + 3] = 0x40;
            File.WriteAllBytes(PathOf(what), damaged);
            using var reopened = new AppendLog(PathOf(what));
            Assert.Throws<AppendLogCorruptException>(() => reopened.ReadAll(), what);
            Assert.That(File.ReadAllBytes(PathOf(what)), Is.EqualTo(damaged), what);
        }
    }

    [Test]
    public void A_bad_checksum_on_the_final_record_is_a_torn_write_and_is_cut()
    {
        var bytes = ThreeRecords();
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(PathOf("wal"), bytes);
        using var reopened = new AppendLog(PathOf("wal"));
        Assert.That(Text(reopened.ReadAll()), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(new FileInfo(PathOf("wal")).Length, Is.EqualTo(2 * 8 + 3 + 3), "cut after the last good record");
    }

    [Test]
    public void Every_torn_length_of_the_final_record_is_cut_and_every_damaged_earlier_byte_is_refused()
    {
        var bytes = ThreeRecords();
        var lastStart = 2 * 8 + 3 + 3;
        for (var cut = lastStart + 1; cut < bytes.Length; cut++)
        {
            File.WriteAllBytes(PathOf("torn"), bytes[..cut]);
            using var log = new AppendLog(PathOf("torn"));
            Assert.That(Text(log.ReadAll()), Is.EqualTo(new[] { "one", "two" }), $"torn at {cut}");
        }
        for (var i = 0; i < lastStart; i++)
        {
            var damaged = bytes.ToArray();
            damaged[i] ^= 0x10;
            File.WriteAllBytes(PathOf("damaged"), damaged);
            using var log = new AppendLog(PathOf("damaged"));
            Assert.Throws<AppendLogCorruptException>(() => log.ReadAll(), $"byte {i} damaged");
        }
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
