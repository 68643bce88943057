using Ledger.Chain.Admission;
using Ledger.Chain.Revocation;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Crypto;
using Ledger.Core.Execution;
using Ledger.Core.Merkle;
using Ledger.Core.Revocation;
using Ledger.Storage;

namespace Ledger.Chain.Execution;

/// <summary>
/// Runs a block's txs in order, each on its own overlay of the block's state (committed only if the
/// chaincode accepts it, Neo-style), and builds the header: Merkle roots of envelopes and receipts, the
/// root of the state tree (<see cref="StateTree"/>) after the block, the validator set. A tx the chaincode refuses stays in the block with its rejection code,
/// so every submitter gets a final answer; its (submitter, nonce) is spent all the same. Before the chaincode sees a tx,
/// the chain's revocation record is consulted: a tx endorsed by a certificate the chain knows to be revoked is refused
/// (<see cref="CrlPublication"/>); a CRL published on chain and a governance tx (<see cref="Governance.ConsortiumGovernance"/>) are the
/// chain's own payloads, executed here.
/// </summary>
public sealed class BlockExecutor(string chainId, IChaincode chaincode, IHasher hasher, CrlPublication? crls = null, Governance.ConsortiumGovernance? governance = null)
{
    public ExecutedBlock Execute(BlockStore store, ChainHead parent, IReadOnlyList<AdmittedTx> candidates, long timestamp, Hash32 proposer, uint round, Hash32 validatorSetHash)
    {
        var height = parent.Height + 1;
        var blockState = store.OpenState();
        // The rules of this height's protocol version; a version this software does not know stops the node here.
        var version = governance?.Parameters.ProtocolIn(blockState, height) ?? Core.Governance.ProtocolVersions.Current;
        Governance.ChainParameters.RequireSupported(version, height);
        // Whether each tx's CAs count at this height: read once per block (nothing to check while genesis's CAs are all).
        var refuseIfNotCounting = governance?.Authorities.CheckerAt(height, blockState);
        var baseRoot = store.StateRoot;
        var included = new List<AdmittedTx>(candidates.Count);
        var receipts = new List<Receipt>(candidates.Count);
        var index = new List<TxIndexEntry>(candidates.Count);
        var seen = new HashSet<Hash32>();

        foreach (var tx in candidates)
        {
            var body = tx.Body;
            var nonceKey = ChainStateKeys.Nonce(body.Submitter, body.Nonce);
            // A tx already committed (or twice in the candidates) is left out, not given a second receipt. The state says so
            // too — its nonce holds its id — for a node that joined by state sync and has no index of the txs before.
            if (!seen.Add(tx.TxId) || store.FindTransaction(tx.TxId) is not null) continue;
            if (store.HistoryFrom > 0 && blockState.Get(nonceKey) is { Length: Hash32.Size } spentBy && tx.TxId == new Hash32(spentBy)) continue;
            Receipt receipt;
            if (body.ExpiresAt < timestamp)
            {
                receipt = new Receipt { TxId = tx.TxId, Code = ErrorCode.Expired, Message = "expired before it could be included" };
            }
            else if (blockState.Get(nonceKey) is not null)
            {
                receipt = new Receipt { TxId = tx.TxId, Code = ErrorCode.StaleNonce, Message = $"nonce {body.Nonce} of this submitter is already used" };
            }
            else if (Core.Governance.ProtocolVersions.IntroducedIn(body.PayloadField) > version)
            {
                receipt = new Receipt
                {
                    TxId = tx.TxId,
                    Code = ErrorCode.PayloadNotActive,
                    Message = $"payload field {body.PayloadField} is accepted from protocol version {Core.Governance.ProtocolVersions.IntroducedIn(body.PayloadField)}; height {height} runs version {version}",
                };
            }
            else
            {
                var txState = new StateOverlay(blockState);
                var context = new TxContext
                {
                    ChainId = chainId,
                    Height = height,
                    BlockTime = timestamp,
                    TxId = tx.TxId,
                    Body = body,
                    Submitter = tx.Submitter,
                    Endorsements = tx.Endorsements,
                    Hasher = hasher,
                    ProtocolVersion = version,
                };
                var result = CrlPublication.RefuseIfRevoked(tx.Endorsements, txState)
                    ?? refuseIfNotCounting?.Invoke(tx.Endorsements)
                    ?? (body.PayloadField == PublishCrlPayload.Field
                        ? crls?.Execute(tx.Submitter, body, tx.TxId, height, included.Count, timestamp, txState)
                            ?? ExecutionResult.Reject(ErrorCode.CrlIssuerUnknown, "this node publishes no CRLs (no CA set configured)")
                        : Core.Governance.GovernanceVotePayload.IsGovernancePayload(body.PayloadField)
                            ? governance?.Execute(tx.Submitter, body, tx.TxId, height, timestamp, txState)
                                ?? ExecutionResult.Reject(ErrorCode.GovernanceUnavailable, "this node executes no governance (no validator sets configured)")
                            : chaincode.Execute(context, txState));
                if (result.Succeeded) txState.MergeInto(blockState);
                receipt = new Receipt { TxId = tx.TxId, Code = result.Code, Message = result.Message, Warnings = result.Warnings };
            }
            if (receipt.Code != ErrorCode.StaleNonce) blockState.Put(nonceKey, tx.TxId.ToArray());

            index.Add(IndexEntry(tx, included.Count, receipt, store, blockState, included));
            included.Add(tx);
            receipts.Add(receipt);
        }

        var txLeaves = included.Select(t => MerkleTree.LeafHash(hasher, t.Bytes.Span)).ToArray();
        var receiptLeaves = receipts.Select(r => MerkleTree.LeafHash(hasher, r.Encode())).ToArray();
        var tree = store.StateTree.Update(baseRoot, blockState.Changes);
        var header = new BlockHeader
        {
            Height = height,
            PrevHash = parent.Hash,
            TxRoot = MerkleTree.Root(hasher, txLeaves),
            ReceiptsRoot = MerkleTree.Root(hasher, receiptLeaves),
            StateRoot = tree.Root,
            Timestamp = timestamp,
            Proposer = proposer,
            Round = round,
            ValidatorSetHash = validatorSetHash,
            TxCount = (uint)included.Count,
        };
        var block = new Block { Header = header, Transactions = included.Select(t => t.Bytes).ToArray(), Receipts = receipts };
        return new ExecutedBlock(block, header.ComputeHash(hasher), blockState, tree, index, included);
    }

    /// <summary>
    /// The index entries of a block committed elsewhere, from its txs and receipts alone (a block a state sync stores without
    /// executing it): by contract id and document hash as <see cref="Execute"/> gives them. A sealed paper batch's documents
    /// are not among them — they are read from the batch's parts, which such a node may not hold.
    /// </summary>
    public static IReadOnlyList<TxIndexEntry> IndexOfCommitted(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var entries = new TxIndexEntry[block.Transactions.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var receipt = block.Receipts[i];
            var body = Core.Transactions.TxEnvelope.Decode(block.Transactions[i].Span).Body;
            if (!receipt.Succeeded || !ContractPayloads.IsContractPayload(body.PayloadField))
            {
                entries[i] = new TxIndexEntry(receipt.TxId, i, null, null);
                continue;
            }
            var payload = ContractPayloads.Decode(body);
            entries[i] = new TxIndexEntry(receipt.TxId, i, payload.ContractId, payload.StatementDocumentHash);
        }
        return entries;
    }

    /// <summary>Indexes by contract id and document hash for txs the chaincode accepted.</summary>
    private static TxIndexEntry IndexEntry(AdmittedTx tx, int position, Receipt receipt, BlockStore store, StateOverlay blockState, IReadOnlyList<AdmittedTx> included)
    {
        if (receipt.Succeeded && tx.Body.PayloadField == UploadPaperBatchPayload.Field && UploadPaperBatchPayload.Decode(tx.Body.Payload.Span) is PaperBatchSeal seal)
            return new TxIndexEntry(tx.TxId, position, null, null) { BatchDocuments = SealedDocuments(tx.Body.Submitter, seal, store, blockState, included) };
        if (receipt.Succeeded && tx.Body.PayloadField == Core.Anchoring.ExternalAnchorPayload.Field)
        {
            var anchor = Core.Anchoring.ExternalAnchorPayload.Decode(tx.Body.Payload.Span);
            return new TxIndexEntry(tx.TxId, position, null, null)
            {
                AnchorRecord = new AnchorRecordEntry(anchor.Height, anchor.EvmChainId, anchor.Contract, anchor.BlockHash, tx.TxId),
            };
        }
        if (!receipt.Succeeded || !ContractPayloads.IsContractPayload(tx.Body.PayloadField))
            return new TxIndexEntry(tx.TxId, position, null, null);
        var payload = ContractPayloads.Decode(tx.Body);
        return new TxIndexEntry(tx.TxId, position, payload.ContractId, payload.StatementDocumentHash);
    }

    /// <summary>
    /// Every document of a batch just sealed, in leaf order, read from its part txs (committed, or earlier in this block):
    /// a batch becomes findable by document hash when — and only when — it is sealed.
    /// </summary>
    private static Hash32[]? SealedDocuments(Hash32 submitter, PaperBatchSeal seal, BlockStore store, StateOverlay blockState, IReadOnlyList<AdmittedTx> included)
    {
        var record = Chaincode.PaperBatches.PaperBatchHandler.Read(blockState, submitter, seal.Root)
            ?? throw new InvalidOperationException($"batch {seal.Root} was sealed but has no record");
        var documents = new Hash32[record.DocumentCount];
        var blocks = new Dictionary<ulong, Block>();
        for (var part = 0; part < record.PartCount; part++)
        {
            var partTxId = record.PartTxId(part);
            ReadOnlyMemory<byte> payload;
            if (included.FirstOrDefault(t => t.TxId == partTxId) is { } inBlock)
            {
                payload = inBlock.Body.Payload;
            }
            else
            {
                // A node that joined by state sync may lack a part committed before it joined: the batch is then not indexed
                // here by document hash (the index is this node's, not consensus; nodes with the history find it).
                if (store.FindTransaction(partTxId) is not { } location)
                    return store.HistoryFrom > 0 ? null : throw new InvalidOperationException($"part {part} of batch {seal.Root} (tx {partTxId}) is not stored");
                if (!blocks.TryGetValue(location.Height, out var block))
                    blocks[location.Height] = block = store.GetBlock(location.Height) ?? throw new InvalidOperationException($"block {location.Height} is not stored");
                payload = Core.Transactions.TxEnvelope.Decode(block.Transactions[location.Index].Span).Body.Payload;
            }
            var leaves = ((PaperBatchPart)UploadPaperBatchPayload.Decode(payload.Span)).Leaves;
            for (var i = 0; i < leaves.Count; i++) documents[part * UploadPaperBatchPayload.PartSize + i] = leaves[i].DocumentHash;
        }
        return documents;
    }
}
