using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Journal;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chaincode;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Storage;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Chain.Tests;

/// <summary>A one-validator chain on an in-memory store, producing blocks on demand.</summary>
public sealed class SoloChain : IDisposable
{
    public SoloChain(TestConsortium consortium, MempoolOptions? pool = null, IKeyValueStore? store = null, ITxJournal? journal = null, params CertificateRevocationList[] crls)
    {
        Consortium = consortium;
        Store = store ?? new InMemoryKeyValueStore();
        var hasher = Sm3Hasher.Instance;
        var blocks = new BlockStore(Store, hasher);
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var validator = consortium.Validators[0];
        Certificates = new CertificateRegistry(consortium.ChainValidator(crls), hasher);
        Admission = new TxAdmission(consortium.ChainId, chaincode, Certificates, hasher, new StoreReplayIndex(blocks));
        Chain = new LedgerChain(validator.Name, consortium.Genesis, consortium.GenesisBytes, blocks, Admission, new Mempool(pool), new Ledger.Chain.Governance.ValidatorSets(consortium.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics(), journal);
        Executor = new BlockExecutor(consortium.ChainId, chaincode, hasher);
        Producer = new SoloProducer(Chain, Executor,
            new BlockSealer(consortium.ChainId, new NodeIdentity(validator.Name, validator.Certificate!, validator.Key)),
            new ProducerOptions(), TimeProvider.System, NullLogger<SoloProducer>.Instance);
    }

    public TestConsortium Consortium { get; }
    public IKeyValueStore Store { get; }
    public LedgerChain Chain { get; }
    public SoloProducer Producer { get; }
    public CertificateRegistry Certificates { get; }
    public TxAdmission Admission { get; }
    public BlockExecutor Executor { get; }

    public SubmitResult Submit(TxEnvelope envelope) => Chain.Submit(envelope.Encode());

    /// <summary>Submits, asserts admission, produces a block and returns the committed tx.</summary>
    public CommittedTransaction Commit(TxEnvelope envelope)
    {
        var result = Submit(envelope);
        Assert.That(result.Result.IsValid, Is.True, result.Result.ToString());
        Assert.That(Producer.ProduceBlock(), Is.Not.Null);
        return Chain.GetTransaction(result.TxId!.Value) ?? throw new AssertionException("tx not committed");
    }

    public void Dispose() => Store.Dispose();
}
