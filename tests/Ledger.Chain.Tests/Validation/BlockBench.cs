using Ledger.Chain.Execution;
using Ledger.Chain.Validation;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests.Validation;

/// <summary>A one-validator chain to build real blocks on, seal them with the validator's key, and judge them.</summary>
internal sealed class BlockBench : IDisposable
{
    public BlockBench(TestConsortium consortium, params CertificateRevocationList[] crls)
    {
        Consortium = consortium;
        Node = new SoloChain(consortium, crls: crls);
    }

    public TestConsortium Consortium { get; }

    public SoloChain Node { get; }

    public Hash32 ValidatorId => Consortium.Validators[0].Certificate!.Id;

    public TxEnvelope Register(string id, TestParty? submitter = null) =>
        Consortium.Transaction(Consortium.Register(id, Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(id))), submitter ?? Consortium.Employer, [submitter ?? Consortium.Employer]);

    /// <summary>Executes txs on the head (signatures checked without revocation, as for a block).</summary>
    public ExecutedBlock Build(IEnumerable<TxEnvelope> txs, long? time = null, uint round = 0, Hash32? proposer = null)
    {
        var head = Node.Chain.Head;
        var admitted = txs.Select(t =>
        {
            var check = Node.Admission.VerifyForBlock(t.Encode(), DateTimeOffset.UtcNow);
            return check.Tx ?? throw new InvalidOperationException(check.Result.ToString());
        }).ToList();
        return Node.Executor.Execute(Node.Chain.Store, head, admitted, time ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), proposer ?? ValidatorId, round, Node.Chain.Validators.Genesis.Hash);
    }

    public CommitCertificate Certify(Hash32 blockHash, ulong height, uint round = 0) => new()
    {
        Height = height,
        Round = round,
        BlockHash = blockHash,
        Seals = [new CommitSeal(ValidatorId, Consortium.Validators[0].Key.Sign(CommitSeal.SigningMessage(Consortium.ChainId, height, round, blockHash)))],
    };

    public static Block WithCertificate(Block block, CommitCertificate? certificate) =>
        new() { Header = block.Header, Transactions = block.Transactions, Receipts = block.Receipts, Commit = certificate };

    public BlockCandidate Proposal(ExecutedBlock executed, uint round = 0, bool reproposal = false) => new()
    {
        Block = executed.Block,
        Hash = executed.BlockHash,
        Parent = Node.Chain.Head,
        Height = Node.Chain.Head.Height + 1,
        Round = round,
        Reproposal = reproposal,
    };

    public BlockCandidate Certified(Block block, Hash32 hash, CommitCertificate? certificate) => new()
    {
        Block = block,
        Hash = hash,
        Parent = Node.Chain.Head,
        Height = Node.Chain.Head.Height + 1,
        Round = certificate?.Round ?? 0,
        Certificate = certificate,
    };

    public void Dispose() => Node.Dispose();
}
