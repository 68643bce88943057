using Ledger.Consensus.Messages;
using Ledger.Consensus.Signing;
using Ledger.Core;
using Ledger.Node.Qbft;

namespace Ledger.Node.Tests.Qbft;

public class SigningWatermarkFileTests
{
    private static readonly Hash32 Genesis = Hash32.Parse(new string('1', 64));
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ledger-watermark-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Test]
    public void The_highest_position_survives_a_reopen_exactly()
    {
        var position = new SigningPosition(123_456_789_012, 7, MessageType.RoundChange, Hash32.Parse(new string('b', 64)), 5);
        using (var file = new SigningWatermarkFile(PathOf("signing.watermark"), Genesis))
        {
            Assert.That(file.Highest, Is.Null);
            file.Advance(new SigningPosition(1, 0, MessageType.Proposal, Hash32.Parse(new string('a', 64))));
            file.Advance(position);
        }
        using var reopened = new SigningWatermarkFile(PathOf("signing.watermark"), Genesis);
        Assert.That(reopened.Highest, Is.EqualTo(position));
    }

    [Test]
    public void The_watermark_of_another_chain_is_refused_in_one_line()
    {
        using (var file = new SigningWatermarkFile(PathOf("w"), Genesis)) file.Advance(new SigningPosition(3, 0, MessageType.Commit, Genesis));
        var other = Hash32.Parse(new string('2', 64));
        var e = Assert.Throws<LedgerException>(() => new SigningWatermarkFile(PathOf("w"), other))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(e.Message, Is.EqualTo($"{PathOf("w")} is the signing watermark of another chain (genesis {Genesis}); this node's genesis is {other}"));
    }

    [Test]
    public void A_file_that_is_not_a_watermark_is_refused()
    {
        using (var slots = new Storage.SlotFile(PathOf("w"))) slots.Write("something else"u8);
        Assert.That(Assert.Throws<LedgerException>(() => new SigningWatermarkFile(PathOf("w"), Genesis))!.Code, Is.EqualTo(ErrorCode.StorageCorrupt));
    }
}
