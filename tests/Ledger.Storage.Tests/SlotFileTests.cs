using Ledger.Core;
using Ledger.Storage;

namespace Ledger.Storage.Tests;

public class SlotFileTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ledger-slots-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Test]
    public void A_new_file_holds_no_record_and_the_last_write_comes_back_after_reopening()
    {
        using (var file = new SlotFile(PathOf("w")))
        {
            Assert.That(file.Read(), Is.Null);
            for (var i = 1; i <= 5; i++) file.Write(BitConverter.GetBytes(i));
            Assert.That(BitConverter.ToInt32(file.Read()), Is.EqualTo(5));
        }
        using var reopened = new SlotFile(PathOf("w"));
        Assert.That(BitConverter.ToInt32(reopened.Read()), Is.EqualTo(5));
        reopened.Write(BitConverter.GetBytes(6)); // goes on from the sequence on disk, into the older slot
        using var again = new SlotFile(PathOf("w"));
        Assert.That(BitConverter.ToInt32(again.Read()), Is.EqualTo(6));
        Assert.That(new FileInfo(PathOf("w")).Length, Is.EqualTo(2 * SlotFile.SlotBytes));
    }

    [Test]
    public void A_write_torn_by_a_crash_leaves_the_record_before_it()
    {
        using (var file = new SlotFile(PathOf("w")))
        {
            file.Write("older"u8);
            file.Write("newer"u8); // sequence 2: slot 0
        }
        var bytes = File.ReadAllBytes(PathOf("w"));
        bytes[20] ^= 0xFF; // the newer slot's payload, half written
        File.WriteAllBytes(PathOf("w"), bytes);
        using var reopened = new SlotFile(PathOf("w"));
        Assert.That(reopened.Read(), Is.EqualTo("older"u8.ToArray()));
    }

    [Test]
    public void Both_slots_damaged_or_a_file_of_the_wrong_size_is_refused_as_corrupt()
    {
        using (var file = new SlotFile(PathOf("w")))
        {
            file.Write("one"u8);
            file.Write("two"u8);
        }
        var bytes = File.ReadAllBytes(PathOf("w"));
        bytes[20] ^= 0xFF;
        bytes[SlotFile.SlotBytes + 20] ^= 0xFF;
        File.WriteAllBytes(PathOf("w"), bytes);
        Assert.That(Assert.Throws<LedgerException>(() => new SlotFile(PathOf("w")))!.Code, Is.EqualTo(ErrorCode.StorageCorrupt));

        File.WriteAllBytes(PathOf("short"), new byte[100]);
        var e = Assert.Throws<LedgerException>(() => new SlotFile(PathOf("short")))!;
        Assert.That((e.Code, e.Message), Is.EqualTo((ErrorCode.StorageCorrupt, $"{PathOf("short")} is 100 bytes, not {2 * SlotFile.SlotBytes}: not a slot file, or damaged")));
    }

    [Test]
    public void A_record_too_large_for_a_slot_is_refused()
    {
        using var file = new SlotFile(PathOf("w"));
        Assert.Throws<ArgumentException>(() => file.Write(new byte[SlotFile.MaxPayloadBytes + 1]));
        file.Write(new byte[SlotFile.MaxPayloadBytes]);
        Assert.That(file.Read(), Has.Length.EqualTo(SlotFile.MaxPayloadBytes));
    }
}
