using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Crypto;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Qbft;

/// <summary>
/// The QBFT engine wired to real chains (stores, admission, chaincode, execution, WAL files) in one process:
/// four validators agree on every block, every block carries a quorum certificate, and the network keeps going
/// with one validator cut off.
/// </summary>
[NonParallelizable]
public class QbftWiringTests
{
    private static readonly TestConsortium Consortium = new(validators: 4, chainId: "gd-qbft-test");

    private static byte[] Register(string id) =>
        Consortium.Transaction(Consortium.Register(id, Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(id))), Consortium.Employer, [Consortium.Employer]).Encode();

    private static void AssertSameChain(InProcessConsortium network, ulong upTo, IEnumerable<InProcessConsortium.Member>? members = null)
    {
        var nodes = (members ?? network.Members).ToArray();
        for (ulong h = 1; h <= upTo; h++)
        {
            var blocks = nodes.Select(m => m.Chain.GetBlock(h)!).ToArray();
            var hashes = blocks.Select(b => b.Commit!.BlockHash).Distinct().ToArray();
            Assert.That(hashes, Has.Length.EqualTo(1), $"one block at height {h} on every node");
            var block = blocks[0];
            Assert.That(block.Commit!.Seals.Select(s => s.Validator).Distinct().Count(), Is.GreaterThanOrEqualTo(ValidatorSet.Quorum(4)), $"quorum of seals at {h}");
            foreach (var seal in block.Commit.Seals)
            {
                var validator = Consortium.Validators.Single(v => v.Certificate!.Id == seal.Validator);
                Assert.That(validator.Key.PublicKey.Verify(CommitSeal.SigningMessage(Consortium.ChainId, h, block.Commit.Round, block.Commit.BlockHash), seal.Signature.Span), Is.True);
            }
        }
    }

    [Test]
    public async Task Four_validators_commit_the_same_certified_blocks()
    {
        await using var network = new InProcessConsortium(Consortium);
        network.Start();
        var ids = new List<Hash32>();
        for (var i = 0; i < 30; i++)
        {
            var tx = Register($"QBFT-A-{i}");
            Assert.That(network.Submit(tx), Is.True);
            ids.Add(Sm3.Hash(Core.Transactions.TxEnvelope.Decode(tx).BodyBytes.Span));
            if (i % 10 == 9) await Task.Delay(100);
        }
        await WaitForTxsAsync(network, ids, network.Members);
        var height = network.Members.Min(m => m.Chain.Head.Height);
        TestContext.Out.WriteLine($"heights: {string.Join(", ", network.Members.Select(m => m.Chain.Head.Height))}");
        AssertSameChain(network, height);
        foreach (var member in network.Members)
            Assert.That(ids.All(id => member.Chain.GetTransaction(id) is { Receipt.Succeeded: true }), Is.True, member.Chain.NodeName);
    }

    [Test]
    public async Task Three_of_four_keep_committing_while_one_is_cut_off_and_it_catches_up_by_consensus_afterwards()
    {
        await using var network = new InProcessConsortium(Consortium);
        network.Start();
        var cutOff = network.Members[1];
        cutOff.Isolated = true;
        var ids = new List<Hash32>();
        for (var i = 0; i < 12; i++)
        {
            var tx = Register($"QBFT-B-{i}");
            network.Submit(tx);
            ids.Add(Sm3.Hash(Core.Transactions.TxEnvelope.Decode(tx).BodyBytes.Span));
            await Task.Delay(30);
        }
        var others = network.Members.Where(m => m != cutOff).ToArray();
        await WaitForTxsAsync(network, ids, others);
        AssertSameChain(network, others.Min(m => m.Chain.Head.Height), others);
        Assert.That(cutOff.Chain.Head.Height, Is.Zero, "a validator cut off commits nothing alone");
    }

    private static async Task WaitForTxsAsync(InProcessConsortium network, IReadOnlyList<Hash32> ids, IEnumerable<InProcessConsortium.Member> members)
    {
        var nodes = members.ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!nodes.All(m => ids.All(id => m.Chain.GetTransaction(id) is not null)))
        {
            foreach (var m in nodes.Where(m => m.Loop.IsFaulted)) await m.Loop;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"txs not committed everywhere; heights {string.Join(", ", network.Members.Select(m => m.Chain.Head.Height))}");
            await Task.Delay(25);
        }
    }
}
