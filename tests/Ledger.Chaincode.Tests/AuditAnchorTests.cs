using Ledger.Chaincode.Audit;
using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Audit;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.Chaincode.Tests;

/// <summary>A signer service anchors its audit-log head: Bureau certificates only, and only forwards.</summary>
public class AuditAnchorTests
{
    private static ulong _nonce;

    private static ExecutionResult Anchor(TestChain chain, SignerIdentity submitter, ulong sequence, Hash32 head)
    {
        var encoded = new AuditAnchorPayload { Sequence = sequence, HeadHash = head }
            .CreateBody(TestChain.ChainId, Interlocked.Increment(ref _nonce), chain.BlockTime + 3_600_000, submitter.CertificateId ?? submitter.KeyId).Encode();
        var body = TxBody.Decode(encoded);
        Assert.That(chain.Chaincode.ValidatePayload(body).IsValid, Is.True);
        Assert.That(chain.Chaincode.StatementFor(body, Sm3Hasher.Instance), Is.Null, "an anchor has no statement for parties to sign");
        return chain.Execute(new TxContext
        {
            ChainId = TestChain.ChainId,
            Height = chain.Height++,
            BlockTime = chain.BlockTime,
            TxId = Sm3.Hash(encoded),
            Body = body,
            Submitter = submitter,
            Endorsements = [new VerifiedEndorsement(submitter, EndorsementScope.Body)],
        });
    }

    [Test]
    public void A_bureau_anchors_its_head_and_the_chain_keeps_the_latest()
    {
        var chain = new TestChain();
        Assert.That(Anchor(chain, Parties.GuangzhouBureau, 5, Parties.Hash("h5")).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(Anchor(chain, Parties.GuangzhouBureau, 9, Parties.Hash("h9")).Code, Is.EqualTo(ErrorCode.Ok));
        var latest = AuditAnchorHandler.Latest(chain.State, Parties.GuangzhouBureau.KeyId);
        Assert.That(latest, Is.Not.Null);
        Assert.That(latest!.Sequence, Is.EqualTo(9UL));
        Assert.That(latest.HeadHash, Is.EqualTo(Parties.Hash("h9")));
    }

    [Test]
    public void An_anchor_that_does_not_advance_is_refused()
    {
        var chain = new TestChain();
        Assert.That(Anchor(chain, Parties.GuangzhouBureau, 9, Parties.Hash("h9")).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(Anchor(chain, Parties.GuangzhouBureau, 8, Parties.Hash("h8")).Code, Is.EqualTo(ErrorCode.AnchorNotAdvancing));
        Assert.That(Anchor(chain, Parties.GuangzhouBureau, 9, Parties.Hash("other")).Code, Is.EqualTo(ErrorCode.AnchorNotAdvancing), "a rewritten head at the same sequence");
        Assert.That(AuditAnchorHandler.Latest(chain.State, Parties.GuangzhouBureau.KeyId)!.HeadHash, Is.EqualTo(Parties.Hash("h9")));
        // Heads are kept per signer: another bureau starts from nothing.
        Assert.That(Anchor(chain, Parties.ShenzhenBureau, 1, Parties.Hash("sz1")).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Only_a_bureau_may_anchor()
    {
        var chain = new TestChain();
        Assert.That(Anchor(chain, Parties.EmployerA, 1, Parties.Hash("h1")).Code, Is.EqualTo(ErrorCode.AnchorRoleNotAllowed));
        Assert.That(Anchor(chain, Parties.Integrator, 1, Parties.Hash("h1")).Code, Is.EqualTo(ErrorCode.AnchorRoleNotAllowed));
        Assert.That(Anchor(chain, Parties.Worker1, 1, Parties.Hash("h1")).Code, Is.EqualTo(ErrorCode.AnchorRoleNotAllowed));
        Assert.That(chain.State.Count, Is.Zero);
    }

    [Test]
    public void A_malformed_anchor_is_refused_at_admission()
    {
        var body = new TxBody { ChainId = TestChain.ChainId, Nonce = 1, ExpiresAt = 1, Submitter = Parties.Hash("s"), PayloadField = AuditAnchorPayload.Field, Payload = new byte[] { 0x08, 0x05 } };
        var chain = new TestChain();
        Assert.That(chain.Chaincode.ValidatePayload(TxBody.Decode(body.Encode())).Code, Is.EqualTo(ErrorCode.MissingField));
    }
}
