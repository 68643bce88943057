using Ledger.Core;

namespace Ledger.Signer.Tests;

/// <summary>Repeated wrong PINs lock the key for a while, across restarts.</summary>
public class LockoutTests
{
    private SignerTestBed _bed = null!;

    [SetUp]
    public void SetUp() => _bed = new SignerTestBed { };

    [TearDown]
    public void TearDown() => _bed.Dispose();

    private static LedgerException Refusal(Action action) => Refusals.Of(action);

    [Test]
    public void Five_wrong_pins_lock_the_key_until_the_period_ends_even_across_a_restart()
    {
        string holderId;
        var statement = SignerTestBed.Statement();
        byte[] challengeId;
        using (var service = _bed.Open())
        {
            holderId = _bed.EnrolWorker(service).Id;
            challengeId = service.RequestSignature(holderId, statement, "peer").Id;
            for (var i = 1; i < _bed.Config.MaxFailedPins; i++)
                Assert.That(Refusal(() => service.ConfirmSignature(holderId, challengeId, "000001", statement, "peer")).Code, Is.EqualTo(ErrorCode.WrongPin), $"attempt {i}");
            var locking = Refusal(() => service.ConfirmSignature(holderId, challengeId, "000001", statement, "peer"));
            Assert.That(locking.Code, Is.EqualTo(ErrorCode.KeyLocked), "the fifth wrong PIN locks");
            Assert.That(((KeyLockedException)locking).RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(_bed.Config.LockoutSeconds)));
            Assert.That(Refusal(() => service.ConfirmSignature(holderId, challengeId, SignerTestBed.Pin, statement, "peer")).Code, Is.EqualTo(ErrorCode.KeyLocked),
                "while locked, even the right PIN is refused");
        }

        using (var restarted = _bed.Open())
        {
            _bed.Clock.Advance(TimeSpan.FromSeconds(_bed.Config.LockoutSeconds - 10));
            var challenge = restarted.RequestSignature(holderId, statement, "peer");
            Assert.That(Refusal(() => restarted.ConfirmSignature(holderId, challenge.Id, SignerTestBed.Pin, statement, "peer")).Code, Is.EqualTo(ErrorCode.KeyLocked),
                "a restart does not reset the lock");
            _bed.Clock.Advance(TimeSpan.FromSeconds(10));
            challenge = restarted.RequestSignature(holderId, statement, "peer");
            Assert.That(restarted.ConfirmSignature(holderId, challenge.Id, SignerTestBed.Pin, statement, "peer").Signature, Is.Not.Empty, "unlocked after the period");
        }
    }

    [Test]
    public void Each_lock_lasts_twice_the_last_up_to_a_day_and_only_a_right_pin_starts_again_at_the_first()
    {
        var service = _bed.Open();
        var holderId = _bed.EnrolWorker(service).Id;
        TimeSpan LockWithWrongPins()
        {
            for (var i = 1; i < _bed.Config.MaxFailedPins; i++)
                Assert.That(Refusal(() => service.ListForHolder(holderId, "000001", 0, 10)).Code, Is.EqualTo(ErrorCode.WrongPin));
            var locking = Refusal(() => service.ListForHolder(holderId, "000001", 0, 10));
            Assert.That(locking.Code, Is.EqualTo(ErrorCode.KeyLocked));
            return ((KeyLockedException)locking).RetryAfter;
        }
        var first = TimeSpan.FromSeconds(_bed.Config.LockoutSeconds);
        var ceiling = TimeSpan.FromSeconds(_bed.Config.MaxLockoutSeconds);
        var expected = first;
        var periods = new List<TimeSpan>();
        for (var lockNumber = 1; lockNumber <= 12; lockNumber++)
        {
            var period = LockWithWrongPins();
            periods.Add(period);
            Assert.That(period, Is.EqualTo(expected), $"lock {lockNumber}");
            _bed.Clock.Advance(period - TimeSpan.FromSeconds(1));
            Assert.That(Refusal(() => service.ListForHolder(holderId, SignerTestBed.Pin, 0, 10)).Code, Is.EqualTo(ErrorCode.KeyLocked), "locked to the end of its period");
            _bed.Clock.Advance(TimeSpan.FromSeconds(1));
            expected = expected * 2 > ceiling ? ceiling : expected * 2;
        }
        Assert.That(periods[^1], Is.EqualTo(ceiling), "a day at most");

        // A restart keeps the escalation (the count is in the MAC'd lockout file); a right PIN ends it.
        service.Dispose();
        service = _bed.Open();
        try
        {
            Assert.That(LockWithWrongPins(), Is.EqualTo(ceiling), "the escalation survives a restart");
            _bed.Clock.Advance(ceiling);
            Assert.That(service.ListForHolder(holderId, SignerTestBed.Pin, 0, 10).Records, Is.Not.Null);
            Assert.That(LockWithWrongPins(), Is.EqualTo(first), "after a right PIN the next lock is the first again");
        }
        finally
        {
            service.Dispose();
        }
    }

    [Test]
    public void A_right_pin_resets_the_count()
    {
        using var service = _bed.Open();
        var holderId = _bed.EnrolWorker(service).Id;
        var statement = SignerTestBed.Statement();
        for (var round = 0; round < 3; round++)
        {
            var challenge = service.RequestSignature(holderId, statement, "peer");
            for (var i = 1; i < _bed.Config.MaxFailedPins; i++)
                Assert.That(Refusal(() => service.ConfirmSignature(holderId, challenge.Id, "000001", statement, "peer")).Code, Is.EqualTo(ErrorCode.WrongPin));
            service.ConfirmSignature(holderId, challenge.Id, SignerTestBed.Pin, statement, "peer");
        }
    }

    [Test]
    public void Wrong_pins_on_the_audit_listing_count_too()
    {
        using var service = _bed.Open();
        var holderId = _bed.EnrolWorker(service).Id;
        for (var i = 1; i < _bed.Config.MaxFailedPins; i++)
            Assert.That(Refusal(() => service.ListForHolder(holderId, "000001", 0, 10)).Code, Is.EqualTo(ErrorCode.WrongPin));
        Assert.That(Refusal(() => service.ListForHolder(holderId, "000001", 0, 10)).Code, Is.EqualTo(ErrorCode.KeyLocked));
    }

    [Test]
    public void An_edited_lockout_file_does_not_unlock_the_key()
    {
        using var service = _bed.Open();
        var holderId = _bed.EnrolWorker(service).Id;
        for (var i = 0; i < _bed.Config.MaxFailedPins; i++)
            Refusals.Of(() => service.ListForHolder(holderId, "000001", 0, 10));
        var path = _bed.DataPath("holders", holderId + ".lockout");
        var parts = File.ReadAllText(path).Split(' ');
        File.WriteAllText(path, $"0 0 {parts[2]}");
        Assert.That(Refusal(() => service.ListForHolder(holderId, SignerTestBed.Pin, 0, 10)).Code, Is.EqualTo(ErrorCode.KeyStoreTampered));
    }
}
