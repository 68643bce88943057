using Ledger.Chaincode.Anchoring;
using Ledger.Chaincode.Tests.Support;
using Ledger.Core;
using Ledger.Core.Anchoring;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;

namespace Ledger.Chaincode.Tests;

/// <summary>The anchoring service records where a checkpoint went on an external chain: Bureau certificates only, once each.</summary>
public class ExternalAnchorTests
{
    private static ulong _nonce;
    private static readonly byte[] Contract = Convert.FromHexString("5b1869D9A4C187F2EAa108f3062412ecf0526b24");

    private static ExternalAnchorPayload Anchor(ulong height, ulong evmChainId = 1337, byte[]? contract = null) => new()
    {
        Height = height,
        BlockHash = Parties.Hash("block " + height),
        EvmChainId = evmChainId,
        Contract = contract ?? Contract,
        TxHash = Parties.Hash("tx " + height),
        ExternalBlock = 1000 + height,
        ExternalBlockHash = Parties.Hash("external " + height),
        ExternalTime = 1_764_000_000 + (long)height,
    };

    private static ExecutionResult Record(TestChain chain, SignerIdentity submitter, ExternalAnchorPayload anchor)
    {
        var encoded = anchor.CreateBody(TestChain.ChainId, Interlocked.Increment(ref _nonce), chain.BlockTime + 3_600_000, submitter.CertificateId ?? submitter.KeyId).Encode();
        var body = TxBody.Decode(encoded);
        Assert.That(chain.Chaincode.ValidatePayload(body).IsValid, Is.True);
        Assert.That(chain.Chaincode.StatementFor(body, Ledger.Crypto.Sm3Hasher.Instance), Is.Null, "an anchor record has no statement for parties to sign");
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

    private static TestChain ChainAt(ulong height) => new() { Height = height };

    [Test]
    public void A_bureau_records_an_anchor_and_the_state_keeps_it()
    {
        var chain = ChainAt(200);
        Assert.That(Record(chain, Parties.ProvinceBureau, Anchor(100)).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(ExternalAnchorHandler.Recorded(chain.State, 100, 1337, Contract), Is.EqualTo(Anchor(100)));
        Assert.That(ExternalAnchorHandler.Recorded(chain.State, 100, 1, Contract), Is.Null);
    }

    [Test]
    public void Only_a_bureau_may_record_an_anchor()
    {
        var chain = ChainAt(200);
        foreach (var party in new[] { Parties.EmployerA, Parties.Integrator, Parties.Worker1, Parties.Court })
            Assert.That(Record(chain, party, Anchor(100)).Code, Is.EqualTo(ErrorCode.AnchorRoleNotAllowed), party.Role.ToString());
        Assert.That(chain.State.Count, Is.Zero);
    }

    [Test]
    public void A_second_record_for_the_same_checkpoint_chain_and_contract_is_refused()
    {
        var chain = ChainAt(200);
        Assert.That(Record(chain, Parties.ProvinceBureau, Anchor(100)).Code, Is.EqualTo(ErrorCode.Ok));
        var other = Anchor(100) with { TxHash = Parties.Hash("another tx") };
        Assert.That(Record(chain, Parties.GuangzhouBureau, other).Code, Is.EqualTo(ErrorCode.ExternalAnchorExists));
        Assert.That(ExternalAnchorHandler.Recorded(chain.State, 100, 1337, Contract)!.TxHash, Is.EqualTo(Parties.Hash("tx 100")), "never replaced");
        // The same checkpoint on another external chain or contract is another record.
        Assert.That(Record(chain, Parties.ProvinceBureau, Anchor(100, evmChainId: 56)).Code, Is.EqualTo(ErrorCode.Ok));
        Assert.That(Record(chain, Parties.ProvinceBureau, Anchor(100, contract: new byte[20])).Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void A_checkpoint_not_below_the_recording_block_is_refused()
    {
        var chain = ChainAt(100);
        Assert.That(Record(chain, Parties.ProvinceBureau, Anchor(100)).Code, Is.EqualTo(ErrorCode.ExternalAnchorAhead));
        Assert.That(Record(chain, Parties.ProvinceBureau, Anchor(500)).Code, Is.EqualTo(ErrorCode.ExternalAnchorAhead));
        Assert.That(chain.State.Count, Is.Zero);
    }

    [Test]
    public void A_malformed_record_is_refused_at_admission()
    {
        var body = new TxBody { ChainId = TestChain.ChainId, Nonce = 1, ExpiresAt = 1, Submitter = Parties.Hash("s"), PayloadField = ExternalAnchorPayload.Field, Payload = new byte[] { 0x08, 0x05 } };
        Assert.That(new TestChain().Chaincode.ValidatePayload(TxBody.Decode(body.Encode())).Code, Is.EqualTo(ErrorCode.MissingField));
    }
}
