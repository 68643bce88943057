using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Ledger.Chain;
using Ledger.Chaincode.Access;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Node.Tests.Grpc;

/// <summary>
/// An <see cref="ILedgerApi"/> over a test consortium: admission decodes the envelope and checks chain id and
/// duplicates; <see cref="CommitPending"/> puts the pool in a real sealed block (Merkle roots, seals by a quorum),
/// so evidence from it verifies offline. Contract records are whatever the test sets in <see cref="Records"/>;
/// their history is the committed txs of that contract.
/// </summary>
public sealed class FakeLedgerApi(TestNetwork network) : ILedgerApi
{
    private readonly Lock _gate = new();
    private readonly List<(Hash32 Id, byte[] Envelope)> _pending = [];
    private readonly List<Block> _blocks = [];
    private readonly Dictionary<Hash32, CommittedTransaction> _committed = [];
    private readonly Dictionary<Hash32, TaskCompletionSource<CommittedTransaction>> _waiters = [];
    private readonly List<Channel<Block>> _watchers = [];

    public string ChainId => network.ChainId;

    public Dictionary<string, ContractRecord> Records { get; } = [];

    public Dictionary<Hash32, GrantRecord> Grants { get; } = [];

    public Dictionary<(string CreditCode, Hash32 Integrator), GrantRecord> Delegations { get; } = [];

    public Dictionary<Hash32, List<AccessLogEntry>> AccessLog { get; } = [];

    public GrantRecord? GetGrant(Hash32 grantId) => Grants.GetValueOrDefault(grantId);

    public GrantRecord? GetDelegation(string employerCreditCode, Hash32 integratorCertificateId) =>
        Delegations.GetValueOrDefault((employerCreditCode, integratorCertificateId));

    public IReadOnlyList<AccessLogEntry> ListAccess(Hash32 workerIndexKey) => AccessLog.GetValueOrDefault(workerIndexKey) ?? [];

    /// <summary>When set, the next submission is refused with it (to exercise every refusal's mapping).</summary>
    public ValidationResult? NextRefusal { get; set; }

    /// <summary>The receipt code execution gives a tx (default: committed).</summary>
    public Func<IContractPayload, ErrorCode> Execute { get; set; } = _ => ErrorCode.Ok;

    public int Submissions { get; private set; }

    public Task<SubmitResult> SubmitAsync(ReadOnlyMemory<byte> envelope) => Task.FromResult(Submit(envelope));

    public SubmitResult Submit(ReadOnlyMemory<byte> envelope)
    {
        lock (_gate)
        {
            Submissions++;
            if (NextRefusal is { } refusal)
            {
                NextRefusal = null;
                return new SubmitResult(null, refusal);
            }
            TxEnvelope decoded;
            try
            {
                decoded = TxEnvelope.Decode(envelope.Span);
            }
            catch (LedgerException e)
            {
                return new SubmitResult(null, e.ToResult());
            }
            var id = decoded.ComputeId(Sm3Hasher.Instance);
            if (decoded.Body.ChainId != ChainId)
                return new SubmitResult(id, ValidationResult.Fail(ErrorCode.WrongChainId, $"chain {decoded.Body.ChainId}"));
            if (_committed.ContainsKey(id) || _pending.Any(p => p.Id == id))
                return new SubmitResult(id, ValidationResult.Fail(ErrorCode.DuplicateTransaction, $"tx {id} is known"));
            _pending.Add((id, envelope.ToArray()));
            return new SubmitResult(id, ValidationResult.Valid);
        }
    }

    /// <summary>Commits the pool as the next block and wakes waiters and watchers.</summary>
    public Block CommitPending()
    {
        lock (_gate)
        {
            var height = (ulong)_blocks.Count + 1;
            var receipts = _pending.Select(p => new Receipt { TxId = p.Id, Code = Execute(ContractPayloads.Decode(TxEnvelope.Decode(p.Envelope).Body)) }).ToArray();
            var block = TestBlocks.Build(network, height, _pending.Select(p => (ReadOnlyMemory<byte>)p.Envelope).ToArray(), receipts,
                prevHash: _blocks.Count == 0 ? Hash32.Zero : _blocks[^1].Header.ComputeHash(Sm3Hasher.Instance),
                time: TestNetwork.DefaultBlockTime.AddMinutes((double)height));
            var blockHash = block.Header.ComputeHash(Sm3Hasher.Instance);
            _blocks.Add(block);
            for (var i = 0; i < _pending.Count; i++)
            {
                var tx = new CommittedTransaction(_pending[i].Id, _pending[i].Envelope, receipts[i], height, i, blockHash, block.Header.Timestamp);
                _committed[tx.TxId] = tx;
                if (_waiters.Remove(tx.TxId, out var waiter)) waiter.TrySetResult(tx);
            }
            _pending.Clear();
            foreach (var watcher in _watchers) watcher.Writer.TryWrite(block);
            return block;
        }
    }

    public ChainInfo GetChainInfo()
    {
        lock (_gate)
        {
            var head = _blocks.Count == 0 ? null : _blocks[^1];
            return new ChainInfo(ChainId, (ulong)_blocks.Count, head?.Header.ComputeHash(Sm3Hasher.Instance) ?? Hash32.Zero, head?.Header.Timestamp ?? 0,
                (ulong)_committed.Count, _pending.Count, _pending.Sum(p => (long)p.Envelope.Length), network.Validators.Count, "fake-node");
        }
    }

    /// <summary>The fake chain never changes its set: genesis's, without checkpoints.</summary>
    public ExternalAnchorView? GetExternalAnchor(ulong height) => null;

    public (ulong Height, IReadOnlyList<Core.Governance.ScheduledAuthority> Authorities) GetAuthorities() => (0, []);

    public ValidatorSetProof? GetValidatorSet(ulong height)
    {
        lock (_gate)
        {
            if (height == 0 || height > (ulong)_blocks.Count + 1) return null;
            return new ValidatorSetProof { ChainId = ChainId, Height = height, Validators = network.Genesis.Validators.Select(v => v.Certificate).ToArray() };
        }
    }

    public Block? GetBlock(ulong height)
    {
        lock (_gate) return height >= 1 && height <= (ulong)_blocks.Count ? _blocks[(int)height - 1] : null;
    }

    public IReadOnlyList<byte[]?> GetStateNodes(IReadOnlyList<Hash32> hashes) => hashes.Select(_ => (byte[]?)null).ToArray();

    public Block? GetBlock(Hash32 blockHash)
    {
        lock (_gate) return _blocks.FirstOrDefault(b => b.Header.ComputeHash(Sm3Hasher.Instance) == blockHash);
    }

    public CommittedTransaction? GetTransaction(Hash32 txId)
    {
        lock (_gate) return _committed.GetValueOrDefault(txId);
    }

    public ContractView? GetContract(string contractId)
    {
        lock (_gate)
        {
            if (!Records.TryGetValue(contractId, out var record)) return null;
            return new ContractView(record, Ordered().Where(t => Payload(t).ContractId == contractId).ToArray());
        }
    }

    public IReadOnlyList<CommittedTransaction> FindByDocumentHash(Hash32 documentHash)
    {
        lock (_gate) return Ordered().Where(t => Payload(t).StatementDocumentHash == documentHash).ToArray();
    }

    /// <summary>The fake chain holds no paper batches.</summary>
    public IReadOnlyList<BatchDocumentHit> FindBatchDocuments(Hash32 documentHash) => [];

    public EvidenceProof? GetBatchDocumentEvidence(Hash32 documentHash) => null;

    public EvidenceProof? GetEvidence(Hash32 txId)
    {
        lock (_gate)
        {
            return _committed.TryGetValue(txId, out var tx) ? TestBlocks.Proof(network, _blocks[(int)tx.Height - 1], tx.Index) : null;
        }
    }

    /// <summary>A bundle over the fake's blocks: the record from <see cref="Records"/> and the proofs of its txs (no state tree here).</summary>
    public ContractEvidence? GetContractEvidence(string contractId, ulong? height)
    {
        lock (_gate)
        {
            var at = height ?? (ulong)_blocks.Count;
            if (at == 0 || at > (ulong)_blocks.Count) return null;
            var block = _blocks[(int)at - 1];
            var proof = TestBlocks.Proof(network, block, 0);
            Records.TryGetValue(contractId, out var record);
            return new ContractEvidence
            {
                ChainId = ChainId,
                ContractId = contractId,
                Height = at,
                Header = proof.Header,
                Commit = proof.Commit,
                Validators = proof.Validators,
                Intermediates = proof.Intermediates,
                Record = record is null ? null : Convert.ToBase64String(record.Encode()),
                StateProof = new StateProofJson { Siblings = [] },
                Events = record is null ? [] : record.History.Select(h => GetEvidence(h.TxId)).OfType<EvidenceProof>().ToArray(),
            };
        }
    }

    public async Task<CommittedTransaction?> WaitForCommitAsync(Hash32 txId, CancellationToken cancellationToken)
    {
        TaskCompletionSource<CommittedTransaction> waiter;
        lock (_gate)
        {
            if (_committed.TryGetValue(txId, out var done)) return done;
            if (!_waiters.TryGetValue(txId, out waiter!))
                _waiters[txId] = waiter = new TaskCompletionSource<CommittedTransaction>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        try
        {
            return await waiter.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<Block> WatchBlocksAsync(ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<Block>();
        Block[] existing;
        lock (_gate)
        {
            existing = _blocks.Where(b => b.Header.Height >= fromHeight).ToArray();
            _watchers.Add(channel);
        }
        try
        {
            foreach (var block in existing) yield return block;
            await foreach (var block in channel.Reader.ReadAllAsync(cancellationToken))
            {
                if (block.Header.Height >= fromHeight) yield return block;
            }
        }
        finally
        {
            lock (_gate) _watchers.Remove(channel);
        }
    }

    private IEnumerable<CommittedTransaction> Ordered() => _committed.Values.OrderBy(t => t.Height).ThenBy(t => t.Index);

    private static IContractPayload Payload(CommittedTransaction tx) => ContractPayloads.Decode(tx.Decode().Body);
}
