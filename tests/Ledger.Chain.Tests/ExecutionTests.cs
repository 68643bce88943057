using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chaincode;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Merkle;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests;

public class ExecutionTests
{
    private static readonly TestConsortium Consortium = new();

    [Test]
    public void Register_and_both_signatures_make_the_contract_effective_with_its_history()
    {
        using var chain = new SoloChain(Consortium);
        var document = Sm3.Hash("contract v1"u8);
        var register = Consortium.Register("GZ-EXEC-1", document);
        var registered = chain.Commit(Consortium.Transaction(register, Consortium.Employer, [Consortium.Employer]));
        Assert.That(registered.Receipt.Code, Is.EqualTo(ErrorCode.Ok), registered.Receipt.Message);

        var sign = new SignPayload { ContractId = "GZ-EXEC-1", Version = 1, DocumentHash = document };
        var signed = chain.Commit(Consortium.Transaction(sign, Consortium.Employer, [Consortium.Employer, Consortium.WorkerOf("GZ-EXEC-1")]));
        Assert.That(signed.Receipt.Code, Is.EqualTo(ErrorCode.Ok), signed.Receipt.Message);

        var view = chain.Chain.GetContract("GZ-EXEC-1")!;
        Assert.That(view.Record.Status, Is.EqualTo(ContractStatus.Effective));
        Assert.That(view.History.Select(h => h.TxId), Is.EqualTo(new[] { registered.TxId, signed.TxId }));
        Assert.That(chain.Chain.FindByDocumentHash(document).Select(t => t.TxId), Is.EqualTo(new[] { registered.TxId, signed.TxId }));
        Assert.That(chain.Chain.GetChainInfo().Height, Is.EqualTo(2UL));
    }

    [Test]
    public void A_tx_the_chaincode_refuses_is_in_the_block_with_its_code_and_spends_its_nonce()
    {
        using var chain = new SoloChain(Consortium);
        var document = Sm3.Hash("doc"u8);
        // Signing a contract that was never registered: admission passes (signatures are fine), the chaincode refuses.
        var sign = new SignPayload { ContractId = "GZ-NOWHERE", Version = 1, DocumentHash = document };
        var envelope = Consortium.Transaction(sign, Consortium.Employer, [Consortium.Employer], nonce: 4242);
        var committed = chain.Commit(envelope);
        Assert.That(committed.Receipt.Code, Is.Not.EqualTo(ErrorCode.Ok));
        Assert.That(committed.Receipt.Code, Is.GreaterThanOrEqualTo((ErrorCode)1000), "a chaincode code");
        Assert.That(chain.Chain.GetContract("GZ-NOWHERE"), Is.Null, "a refused tx changes no state");
        Assert.That(chain.Chain.FindByDocumentHash(document), Is.Empty, "a refused tx anchors nothing");
        var again = Consortium.Transaction(Consortium.Register("GZ-NONCE", document), Consortium.Employer, [Consortium.Employer], nonce: 4242);
        Assert.That(chain.Submit(again).Result.Code, Is.EqualTo(ErrorCode.StaleNonce));
    }

    [Test]
    public void Every_committed_block_is_certified_and_links_to_its_parent()
    {
        using var chain = new SoloChain(Consortium);
        for (var i = 0; i < 5; i++)
            chain.Commit(Consortium.Transaction(Consortium.Register($"GZ-LINK-{i}", Sm3.Hash([(byte)i])), Consortium.Employer, [Consortium.Employer]));
        var hasher = Sm3Hasher.Instance;
        var previous = chain.Chain.GetBlock(0)!;
        for (ulong h = 1; h <= 5; h++)
        {
            var block = chain.Chain.GetBlock(h)!;
            var hash = block.Header.ComputeHash(hasher);
            Assert.That(block.Header.PrevHash, Is.EqualTo(previous.Header.ComputeHash(hasher)));
            Assert.That(block.Commit!.BlockHash, Is.EqualTo(hash));
            Assert.That(block.Commit.Seals, Has.Count.EqualTo(1));
            var validator = Consortium.Validators[0];
            Assert.That(validator.Key.PublicKey.Verify(CommitSeal.SigningMessage(Consortium.ChainId, h, 0, hash), block.Commit.Seals[0].Signature.Span), Is.True);
            Assert.That(block.Header.TxRoot, Is.EqualTo(MerkleTree.Root(hasher, block.Transactions.Select(t => MerkleTree.LeafHash(hasher, t.Span)).ToArray())));
            Assert.That(chain.Chain.GetBlock(hash)!.Header, Is.EqualTo(block.Header));
            previous = block;
        }
    }

    [Test]
    public void The_same_txs_at_the_same_time_give_the_same_block_on_independent_nodes()
    {
        var hasher = Sm3Hasher.Instance;
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var txs = Enumerable.Range(0, 20)
            .Select(i => Consortium.Transaction(Consortium.Register($"GZ-DET-{i}", Sm3.Hash([(byte)i])), Consortium.Employer, [Consortium.Employer]))
            .ToArray();
        Hash32 Run()
        {
            using var chain = new SoloChain(Consortium);
            var admission = txs.Select(t => chain.Chain.Submit(t.Encode())).ToArray();
            Assert.That(admission.All(a => a.Accepted), Is.True);
            var executor = new BlockExecutor(Consortium.ChainId, chaincode, hasher);
            var head = chain.Chain.Head;
            var executed = executor.Execute(chain.Chain.Store, head, chain.Chain.Pool.Select(100, long.MaxValue), head.Header.Timestamp + 1000, Consortium.Validators[0].Certificate!.Id, 0, chain.Chain.Validators.Genesis.Hash);
            Assert.That(executed.Block.Receipts.All(r => r.Succeeded), Is.True);
            return executed.BlockHash;
        }
        var first = Run();
        var second = Run();
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void A_restarted_chain_on_the_same_store_keeps_its_blocks_and_refuses_another_genesis()
    {
        var store = new InMemoryKeyValueStore();
        var chain = new SoloChain(Consortium, store: store);
        var committed = chain.Commit(Consortium.Transaction(Consortium.Register("GZ-RESTART", Sm3.Hash("r"u8)), Consortium.Employer, [Consortium.Employer]));
        var again = new SoloChain(Consortium, store: store);
        Assert.That(again.Chain.GetTransaction(committed.TxId), Is.Not.Null);
        Assert.That(again.Chain.Head.Height, Is.EqualTo(1UL));
        var other = new TestConsortium();
        var ex = Assert.Throws<LedgerException>(() => _ = new SoloChain(other, store: store));
        Assert.That(ex!.Code, Is.EqualTo(ErrorCode.InvalidBlockHash));
        store.Dispose();
    }
}
