using Ledger.Consensus.Ports;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Validation;
using Ledger.Core;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>A signature met again (a PREPARE inside a ROUND-CHANGE, a justification) is verified once per height.</summary>
public class VerifiedSignaturesTests
{
    private sealed class CountingKeys(IValidatorKeys inner) : IValidatorKeys
    {
        public int Verifications;

        public IReadOnlyList<Hash32> ValidatorsAt(ulong height) => inner.ValidatorsAt(height);

        public bool Verify(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        {
            Verifications++;
            return inner.Verify(validator, message, signature);
        }
    }

    [Test]
    public void A_good_signature_is_verified_once_and_remembered_until_forgotten()
    {
        var ring = new FakeKeyRing(4);
        var keys = new CountingKeys(ring);
        var metrics = new ConsensusMetrics();
        var verified = new VerifiedSignatures(keys, metrics);
        var id = ring.Validators[1];
        byte[] message = [1, 2, 3];
        var signature = ring.SignerFor(id).Sign(message);

        for (var i = 0; i < 5; i++) Assert.That(verified.Verify(id, message, signature), Is.True);
        Assert.That(keys.Verifications, Is.EqualTo(1));
        Assert.That(metrics.SignatureChecksSaved, Is.EqualTo(4));

        verified.Forget();
        Assert.That(verified.Verify(id, message, signature), Is.True);
        Assert.That(keys.Verifications, Is.EqualTo(2), "a new height verifies again");
    }

    [Test]
    public void A_bad_signature_is_never_remembered_and_a_good_one_does_not_vouch_for_another_message_or_signer()
    {
        var ring = new FakeKeyRing(4);
        var keys = new CountingKeys(ring);
        var verified = new VerifiedSignatures(keys, new ConsensusMetrics());
        var id = ring.Validators[0];
        byte[] message = [9, 9];
        var signature = ring.SignerFor(id).Sign(message);
        var forged = (byte[])signature.Clone();
        forged[0] ^= 1;

        Assert.That(verified.Verify(id, message, forged), Is.False);
        Assert.That(verified.Verify(id, message, forged), Is.False);
        Assert.That(keys.Verifications, Is.EqualTo(2), "refusals are checked every time");

        Assert.That(verified.Verify(id, message, signature), Is.True);
        Assert.That(verified.Verify(id, [9, 9, 9], signature), Is.False, "same signature, other message");
        Assert.That(verified.Verify(ring.Validators[2], message, signature), Is.False, "same bytes, other signer");
    }
}
