using Ledger.Chain;
using Ledger.Core;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Node.Tests.Qbft;
using Ledger.TestKit;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Governance;

/// <summary>
/// A validator re-certified by governance (Replace: same name and bureau, new key and certificate) switches to the next
/// identity its config names at the height the change takes effect, by itself: no restart, no missed height.
/// </summary>
[NonParallelizable]
public class KeySwitchTests
{
    [Test]
    public void The_identity_of_a_height_is_the_newest_one_its_set_holds()
    {
        var consortium = new TestConsortium(validators: 4);
        var chain = new GovernanceChain(consortium, delay: 4);
        chain.Keys.AddRange(consortium.Validators);
        var v = consortium.Validators;
        var renewed = consortium.Party(consortium.GuangzhouCa, v[3].Name, Role.Validator, TestConsortium.Guangzhou);
        var stranger = consortium.Party(consortium.GuangzhouCa, "never-voted-in", Role.Validator, TestConsortium.Guangzhou);
        var identities = new NodeIdentities(Identity(v[3]), [Identity(renewed)], chain.Sets);
        var effective = chain.Height + 10;
        Assert.That(identities.At(effective).Certificate.Id, Is.EqualTo(v[3].Certificate!.Id), "before any vote: the config's own");

        chain.Pass(new ProposeValidatorChangePayload { Change = ValidatorChange.Replace, Name = v[3].Name, Certificate = renewed.Certificate!.Der, EffectiveHeight = effective });
        Assert.That(identities.At(effective - 1).Certificate.Id, Is.EqualTo(v[3].Certificate!.Id), "the old certificate decides up to the change");
        Assert.That(identities.At(effective).Certificate.Id, Is.EqualTo(renewed.Certificate!.Id), "the new one from the change on");
        Assert.That(identities.At(effective + 100).Certificate.Id, Is.EqualTo(renewed.Certificate!.Id));

        var unused = new NodeIdentities(Identity(v[2]), [Identity(stranger)], chain.Sets);
        Assert.That(unused.At(effective + 1).Certificate.Id, Is.EqualTo(v[2].Certificate!.Id), "a next identity no vote put in the set is never used");
    }

    [Test]
    public async Task Four_validators_keep_committing_while_one_switches_to_its_next_key_at_the_replace_height()
    {
        var consortium = new TestConsortium(validators: 4, chainId: "gd-key-switch");
        var v = consortium.Validators;
        var renewed = consortium.Party(consortium.GuangzhouCa, v[3].Name, Role.Validator, TestConsortium.Guangzhou);
        await using var network = new InProcessConsortium(consortium, next: new Dictionary<int, NodeIdentity> { [3] = Identity(renewed) });
        network.Start();
        var switching = network.Members[3];
        await CommitAsync(network, Register("SWITCH-0"));

        ulong nonce = 1;
        long Expiry() => DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds();
        var effective = network.Members[0].Chain.Head.Height + (ulong)consortium.Genesis.Consensus.GovernanceDelayBlocks + 8;
        var proposal = Governance(new ProposeValidatorChangePayload { Change = ValidatorChange.Replace, Name = v[3].Name, Certificate = renewed.Certificate!.Der, EffectiveHeight = effective }
            .CreateBody(consortium.ChainId, nonce++, Expiry(), v[0].Certificate!.Id), v[0]);
        var proposalId = await CommitAsync(network, proposal);
        foreach (var voter in new[] { v[1], v[3] })
            await CommitAsync(network, Governance(new GovernanceVotePayload { Proposal = proposalId, Approve = true }.CreateBody(consortium.ChainId, nonce++, Expiry(), voter.Certificate!.Id), voter));
        Assert.That(switching.Chain.Validators.At(effective).Find(renewed.Certificate!.Id), Is.Not.Null, "the Replace passed");

        // Load until well past the change: every height is decided, the switching validator among the deciders.
        for (var i = 1; network.Members.Min(m => m.Chain.Head.Height) < effective + 8; i++)
        {
            await CommitAsync(network, Register($"SWITCH-{i}"));
            Assert.That(i, Is.LessThan(200), "the chain goes on past the change");
        }

        var chain = network.Members[0].Chain;
        var proposedByNewKey = false;
        for (var h = effective - 3; h <= chain.Head.Height; h++)
        {
            var block = chain.GetBlock(h)!;
            var sealers = block.Commit!.Seals.Select(s => s.Validator).ToArray();
            if (h < effective)
            {
                Assert.That(sealers, Has.None.EqualTo(renewed.Certificate!.Id), $"height {h}: the new key is not yet a validator's");
            }
            else
            {
                Assert.That(sealers, Has.None.EqualTo(v[3].Certificate!.Id), $"height {h}: the old key no longer seals");
                proposedByNewKey |= block.Header.Proposer == renewed.Certificate!.Id;
            }
        }
        var newSeals = Enumerable.Range(0, (int)(chain.Head.Height - effective + 1))
            .Count(k => chain.GetBlock(effective + (ulong)k)!.Commit!.Seals.Any(s => s.Validator == renewed.Certificate!.Id));
        Assert.That(newSeals, Is.GreaterThan(0), "the switched validator seals with its new key");
        Assert.That(switching.Loop.IsCompleted, Is.False, "it was never restarted");
        TestContext.Out.WriteLine($"change at {effective}, head {chain.Head.Height}; blocks after it sealed by the new key: {newSeals}; proposed by it: {proposedByNewKey}");
        Assert.That(switching.Driver.Metrics!.ConflictingSignaturesRefused, Is.Zero);

        byte[] Governance(TxBody body, TestParty by)
        {
            var bytes = body.Encode();
            return new TxEnvelope { BodyBytes = bytes, Endorsements = [new Endorsement { Certificate = by.Certificate!.Der, Signature = by.Key.Sign(bytes), Scope = EndorsementScope.Body }] }.Encode();
        }

        byte[] Register(string id) =>
            consortium.Transaction(consortium.Register(id, Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(id))), consortium.Employer, [consortium.Employer]).Encode();
    }

    private static NodeIdentity Identity(TestParty party) => new(party.Name, party.Certificate!, party.Key);

    /// <summary>Submits, waits until every member committed it, and returns its id (it must have succeeded).</summary>
    private static async Task<Hash32> CommitAsync(InProcessConsortium network, byte[] envelope)
    {
        Assert.That(network.Submit(envelope), Is.True);
        var id = Sm3.Hash(TxEnvelope.Decode(envelope).BodyBytes.Span);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!network.Members.All(m => m.Chain.GetTransaction(id) is not null))
        {
            foreach (var m in network.Members.Where(m => m.Loop.IsFaulted)) await m.Loop;
            if (DateTime.UtcNow > deadline) Assert.Fail($"tx not committed everywhere; heights {string.Join(", ", network.Members.Select(m => m.Chain.Head.Height))}");
            await Task.Delay(20);
        }
        var receipt = network.Members[0].Chain.GetTransaction(id)!.Receipt;
        Assert.That(receipt.Succeeded, Is.True, receipt.Message);
        return id;
    }
}
