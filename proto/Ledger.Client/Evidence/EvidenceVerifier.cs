using Ledger.Core;
using Ledger.Core.Anchoring;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Core.Merkle;
using Ledger.Core.Revocation;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Client.Evidence;

/// <summary>
/// Checks a proof.json offline against genesis.json, trusting no node (ARCHITECTURE §8): the tx id is the SM3 of
/// the body; envelope and receipt are in the block by Merkle paths to the header's roots; the commit certificate
/// is for that header; the block is after genesis (height ≥ 1, time after genesis time); the validator set is the
/// chain's set at that height — derived from genesis, never taken from the proof or the header — and the header
/// names it; a quorum of that set, counted against its size, sealed the block with distinct valid seals; every
/// validator and every endorsement certificate chains to the genesis root at block time; every endorsement's
/// signature holds; and, given the file, it is the anchored document. Every part of the proof is checked, so
/// changing any byte of it fails. Each failure is its own <see cref="ErrorCode"/>; nothing here throws on bad input.
/// </summary>
public sealed class EvidenceVerifier
{
    /// <summary>From this many seals on, their signatures are verified in parallel.</summary>
    public const int ParallelSealThreshold = 8;

    private const int MaxPathLength = 64;
    private static readonly Sm3Hasher Hasher = Sm3Hasher.Instance;

    private readonly LedgerCertificate _root;
    private readonly LedgerCertificate[] _genesisIntermediates;
    private readonly Core.Governance.ValidatorSchedule _genesisSchedule;

    /// <summary>Reads the trust anchor out of genesis; a malformed root or intermediate is a <see cref="LedgerException"/>.</summary>
    public EvidenceVerifier(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        Genesis = genesis;
        _root = LedgerCertificate.FromPem(genesis.RootCertificate);
        _genesisIntermediates = genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem).ToArray();
        // Fails now, not per proof, if the root is not a self-signed root CA.
        _ = new CertificateChainValidator(_root, _genesisIntermediates, []);
        // The validator sets a proof is counted against: the chain's own — genesis's, then those the certified governance
        // checkpoints a proof carries derive from it — never a set the proof names for itself.
        var ids = new HashSet<Hash32>();
        var members = new List<Core.Governance.ValidatorMember>();
        foreach (var validator in genesis.Validators)
        {
            var certificate = LedgerCertificate.FromPem(validator.Certificate);
            if (!ids.Add(certificate.Id))
                throw new LedgerException(ErrorCode.InvalidFieldValue, $"genesis: validator {certificate.Subject} is listed twice");
            members.Add(new Core.Governance.ValidatorMember(validator.Name, certificate.Der));
        }
        _genesisSchedule = new Core.Governance.ValidatorSchedule([new Core.Governance.ScheduledSet(1, members)]);
    }

    public GenesisDocument Genesis { get; }

    /// <summary>Checks <paramref name="proof"/> against <paramref name="genesis"/> (and the file, if given).</summary>
    public static EvidenceReport Verify(EvidenceProof proof, GenesisDocument genesis, Stream? file = null)
    {
        EvidenceVerifier verifier;
        try
        {
            verifier = new EvidenceVerifier(genesis);
        }
        catch (LedgerException e)
        {
            return EvidenceReport.Failed(ValidationResult.Fail(e.Code, $"genesis: {e.Message}"));
        }
        return verifier.Verify(proof, file);
    }

    public EvidenceReport Verify(EvidenceProof proof, Stream? file = null)
    {
        ArgumentNullException.ThrowIfNull(proof);
        try
        {
            return Check(proof, file);
        }
        catch (LedgerException e)
        {
            return EvidenceReport.Failed(e.ToResult());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            // Fail closed: whatever could not be checked does not hold.
            return EvidenceReport.Failed(ValidationResult.Fail(ErrorCode.InvalidProof, $"proof could not be checked: {e.Message}"));
        }
    }

    private EvidenceReport Check(EvidenceProof proof, Stream? file)
    {
        var tx = CheckTx(proof, anchorRecord: false);
        if (tx.Seal is not null) return CheckBatchDocument(proof, tx, file);
        if (proof.Batch is not null)
            throw Fail(ErrorCode.InvalidProof, "the proof has a batch member but its tx is not a paper batch's seal");
        var payload = tx.Payload!;
        return Anchored(proof, tx, file, payload.StatementDocumentHash, payload.ContractId) with { Action = payload.Action, Version = payload.StatementVersion };
    }

    /// <summary>
    /// Checks 8 and 9 once the tx is known to anchor <paramref name="documentHash"/>: the file, if given, is that document;
    /// the nearest later external anchor, if the proof carries one. Then the report of what the proof establishes.
    /// </summary>
    private EvidenceReport Anchored(EvidenceProof proof, CheckedTx tx, Stream? file, Hash32 documentHash, string contractId)
    {
        // 8. The file, if given.
        if (file is not null)
        {
            var fileHash = Sm3.Hash(file);
            if (fileHash != documentHash)
                throw Fail(ErrorCode.DocumentHashMismatch, $"the file's SM3 is {fileHash}, the anchored document's is {documentHash}");
        }

        // 9. The nearest later external-anchor checkpoint, when the proof carries one.
        var anchor = proof.Anchor is null ? null : CheckAnchor(proof.Anchor, tx.Header.Height, tx.BlockHash);

        return new EvidenceReport
        {
            Result = ValidationResult.Valid,
            ChainId = Genesis.ChainId,
            TxId = tx.TxId,
            Height = tx.Header.Height,
            BlockHash = tx.BlockHash,
            BlockTime = tx.BlockTime,
            AttestedTime = AttestedTimeOf(tx.BlockTime, tx.ValidatorCount),
            ContractId = contractId,
            DocumentHash = documentHash,
            ReceiptCode = tx.Receipt.Code,
            ReceiptMessage = tx.Receipt.Message,
            Signers = tx.Signers,
            SealedBy = tx.SealedBy,
            ValidatorCount = tx.ValidatorCount,
            FileMatches = file is not null,
            LaterRevocations = tx.LaterRevocations,
            Anchor = anchor,
        };
    }

    /// <summary>
    /// proof-format §2b: a document in a paper batch. The tx is the batch's seal, accepted by the chaincode and submitted by a
    /// Bureau; the document's leaf (hash, contract id, grade) is leaf <c>index</c> of the seal's <c>document_count</c> under its
    /// root by the batch path. Every failure here is <see cref="ErrorCode.InvalidBatchProof"/>.
    /// </summary>
    private EvidenceReport CheckBatchDocument(EvidenceProof proof, CheckedTx tx, Stream? file)
    {
        var seal = tx.Seal!;
        var batch = proof.Batch ?? throw Fail(ErrorCode.InvalidProof, "a paper batch's seal proves a document only with the proof's batch member");
        var document = DecodeHash(batch.Document, "batch.document");
        var hashes = batch.Path.Select((h, i) => DecodeHash(h, $"batch.path[{i}]")).ToArray();
        if (tx.Receipt.Code != ErrorCode.Ok)
            throw Fail(ErrorCode.InvalidBatchProof, $"the seal was refused by the chaincode ({tx.Receipt.Code}): the batch is not anchored");
        var submitter = tx.Signers.FirstOrDefault(s => s.Scope == EndorsementScope.Body && s.CertificateId == tx.Envelope.Body.Submitter);
        if (submitter is null || submitter.Role != Role.Bureau)
            throw Fail(ErrorCode.InvalidBatchProof, $"the batch was sealed by {submitter?.Role.ToString() ?? "no certificate"}, not a Bureau");
        try
        {
            PaperBatchLeaf.Check(batch.ContractId, (EvidenceGrade)batch.Grade);
        }
        catch (LedgerException e)
        {
            throw Fail(ErrorCode.InvalidBatchProof, $"batch: {e.Message}");
        }
        if (batch.Count != seal.DocumentCount)
            throw Fail(ErrorCode.InvalidBatchProof, $"batch.count is {batch.Count}, the seal anchors {seal.DocumentCount} documents");
        if (batch.Index < 0 || batch.Index >= batch.Count)
            throw Fail(ErrorCode.InvalidBatchProof, $"batch.index {batch.Index} is not a position in a batch of {batch.Count}");
        if (batch.Path.Count > MaxPathLength)
            throw Fail(ErrorCode.InvalidBatchProof, $"batch.path has {batch.Path.Count} entries");
        var path = new MerkleProof(batch.Index, batch.Count, hashes);
        var leaf = new PaperBatchLeaf(document, batch.ContractId, (EvidenceGrade)batch.Grade);
        if (!PaperBatchTree.Verify(Hasher, leaf, path, seal.Root))
            throw Fail(ErrorCode.InvalidBatchProof, $"document {document} of contract {batch.ContractId} (grade {batch.Grade}) is not leaf {batch.Index} of {batch.Count} under the sealed root {seal.Root}");
        return Anchored(proof, tx, file, document, batch.ContractId) with
        {
            PaperBatch = new PaperBatchMembership(seal.Root, batch.Index, batch.Count, (EvidenceGrade)batch.Grade, seal.ManifestDigest),
        };
    }

    /// <summary>What checks 1–7b establish of a tx proof: the tx, its block, who signed and who sealed.</summary>
    private sealed record CheckedTx(
        Hash32 TxId, TxEnvelope Envelope, Receipt Receipt, BlockHeader Header, Hash32 BlockHash, DateTimeOffset BlockTime, int ValidatorCount,
        SealingValidator[] SealedBy, EvidenceSigner[] Signers, LaterRevocation[] LaterRevocations, IContractPayload? Payload, ExternalAnchorPayload? AnchorPayload)
    {
        /// <summary>The paper batch seal the tx carries, when it is one (then <see cref="Payload"/> is null).</summary>
        public PaperBatchSeal? Seal { get; init; }
    }

    /// <summary>
    /// Checks 1–7b of a tx proof: of a labour-contract tx, or (<paramref name="anchorRecord"/>) of the ExternalAnchor tx
    /// an anchor checkpoint rests on, which carries no statement.
    /// </summary>
    private CheckedTx CheckTx(EvidenceProof proof, bool anchorRecord)
    {
        var chainId = Genesis.ChainId;
        if (proof.ChainId != chainId)
            throw Fail(ErrorCode.WrongChainId, $"the proof is for chain '{proof.ChainId}', genesis is chain '{chainId}'");

        // 1. Decode every part with Ledger.Core.
        var claimedTxId = DecodeHash(proof.TxId, "txId");
        var envelopeBytes = DecodeBase64(proof.Envelope, "envelope");
        var envelope = Decode("envelope", () => TxEnvelope.Decode(envelopeBytes));
        var receiptBytes = DecodeBase64(proof.Receipt, "receipt");
        var receipt = Decode("receipt", () => Receipt.Decode(receiptBytes));
        var header = Decode("header", () => BlockHeader.Decode(DecodeBase64(proof.Header, "header")));
        var commit = Decode("commit", () => CommitCertificate.Decode(DecodeBase64(proof.Commit, "commit")));
        IContractPayload? payload = null;
        ExternalAnchorPayload? anchorPayload = null;
        PaperBatchSeal? seal = null;
        if (!anchorRecord && envelope.Body.PayloadField == UploadPaperBatchPayload.Field)
        {
            // A paper batch's seal: no statement, the Bureau attests; its documents are checked against the root (§2b).
            seal = Decode("envelope payload", () => UploadPaperBatchPayload.Decode(envelope.Body.Payload.Span)) as PaperBatchSeal
                ?? throw Fail(ErrorCode.InvalidBatchProof, "the tx is a part of a paper batch, not its seal: only the seal anchors the batch");
        }
        else if (!anchorRecord)
        {
            payload = Decode("envelope payload", () => ContractPayloads.Decode(envelope.Body));
        }
        else
        {
            if (envelope.Body.PayloadField != ExternalAnchorPayload.Field)
                throw Fail(ErrorCode.InvalidAnchor, $"the anchor's tx has payload field {envelope.Body.PayloadField}, not an ExternalAnchor ({ExternalAnchorPayload.Field})");
            anchorPayload = Decode("anchor payload", () => ExternalAnchorPayload.Decode(envelope.Body.Payload.Span));
        }
        var validators = proof.Validators.Select((pem, i) => Decode($"validators[{i}]", () => LedgerCertificate.FromPem(pem))).ToArray();
        var intermediates = proof.Intermediates.Select((pem, i) => Decode($"intermediates[{i}]", () => LedgerCertificate.FromPem(pem))).ToArray();
        var blockTime = Decode("header.timestamp", () => DateTimeOffset.FromUnixTimeMilliseconds(header.Timestamp));

        // 2. The tx: its id, its chain, its receipt.
        var txId = envelope.ComputeId(Hasher);
        if (txId != claimedTxId)
            throw Fail(ErrorCode.InvalidProof, $"txId {claimedTxId} is not the SM3 of the envelope's body ({txId})");
        if (envelope.Body.ChainId != chainId)
            throw Fail(ErrorCode.WrongChainId, $"the tx is for chain '{envelope.Body.ChainId}', genesis is chain '{chainId}'");
        if (receipt.TxId != txId)
            throw Fail(ErrorCode.InvalidProof, $"the receipt is for tx {receipt.TxId}, not {txId}");

        // 3. Both in the block, whose header fixes the tree size.
        if (proof.TxCount != header.TxCount)
            throw Fail(ErrorCode.InvalidMerkleProof, $"the proof claims {proof.TxCount} txs in the block, the header {header.TxCount}");
        var txProof = Path(proof.TxPath, "txPath", proof.TxIndex, proof.TxCount);
        if (!MerkleTree.Verify(Hasher, MerkleTree.LeafHash(Hasher, envelopeBytes), txProof, header.TxRoot))
            throw Fail(ErrorCode.InvalidMerkleProof, $"the envelope is not leaf {proof.TxIndex} of {proof.TxCount} under the header's tx root");
        var receiptProof = Path(proof.ReceiptPath, "receiptPath", proof.TxIndex, proof.TxCount);
        if (!MerkleTree.Verify(Hasher, MerkleTree.LeafHash(Hasher, receiptBytes), receiptProof, header.ReceiptsRoot))
            throw Fail(ErrorCode.InvalidMerkleProof, $"the receipt is not leaf {proof.TxIndex} of {proof.TxCount} under the header's receipts root");

        // 4-6. A block of this chain, certified by its validators.
        var (blockHash, trust, set, sealedBy) = CheckBlock(header, commit, validators, intermediates, blockTime, proof.ValidatorCheckpoints);

        // 7. Every signature on the tx.
        var signers = CheckEndorsements(envelope, payload, chainId, trust, blockTime, out var reliedOn);

        // 7b. No certificate it relies on was revoked on chain before it; revocations recorded after it are reported.
        var laterRevocations = CheckRevocations(proof.Revocations, reliedOn, header, proof.TxIndex);

        return new CheckedTx(txId, envelope, receipt, header, blockHash, blockTime, set.Count, sealedBy, signers, laterRevocations, payload, anchorPayload) { Seal = seal };
    }

    /// <summary>
    /// proof-format §2 check 9: the anchor's ExternalAnchor tx is a valid tx proof (checks 1–7b) of a tx the chaincode
    /// accepted from a Bureau certificate; its checkpoint is at or above the proof's block, and the carried headers link
    /// that block to the checkpoint by prev_hash, ending at the anchored block hash. The external chain is not read here.
    /// </summary>
    private AnchorCheckpoint CheckAnchor(AnchorProofJson anchor, ulong height, Hash32 blockHash)
    {
        if (anchor.Proof.Anchor is not null) throw Fail(ErrorCode.InvalidAnchor, "the anchor's own proof carries an anchor");
        if (anchor.Proof.Batch is not null) throw Fail(ErrorCode.InvalidAnchor, "the anchor's own proof carries a paper batch member");
        if (anchor.Proof.Format != EvidenceProof.FormatName || anchor.Proof.Version != EvidenceProof.CurrentVersion)
            throw Fail(ErrorCode.InvalidAnchor, $"the anchor's proof is not a {EvidenceProof.FormatName} version {EvidenceProof.CurrentVersion}");
        CheckedTx record;
        try
        {
            record = CheckTx(anchor.Proof, anchorRecord: true);
        }
        catch (LedgerException e) when (e.Code != ErrorCode.InvalidAnchor)
        {
            throw Fail(ErrorCode.InvalidAnchor, $"the anchor's ExternalAnchor tx: {e.Code}: {e.Message}");
        }
        var recorded = record.AnchorPayload!;
        if (record.Receipt.Code != ErrorCode.Ok)
            throw Fail(ErrorCode.InvalidAnchor, $"the anchor's ExternalAnchor tx was refused by the chaincode ({record.Receipt.Code})");
        var submitter = record.Signers.FirstOrDefault(s => s.Scope == EndorsementScope.Body && s.CertificateId == record.Envelope.Body.Submitter);
        if (submitter is null || submitter.Role != Role.Bureau)
            throw Fail(ErrorCode.InvalidAnchor, $"the anchor was recorded by {submitter?.Role.ToString() ?? "no certificate"}, not a Bureau");
        if (recorded.Height < height)
            throw Fail(ErrorCode.InvalidAnchor, $"the checkpoint is at height {recorded.Height}, below the proof's block {height}");
        if (recorded.Height >= record.Header.Height)
            throw Fail(ErrorCode.InvalidAnchor, $"the checkpoint {recorded.Height} is not below the block {record.Header.Height} recording it");
        var gap = recorded.Height - height;
        if (gap > AnchorProofJson.MaxHeaders || (ulong)anchor.Headers.Count != gap)
            throw Fail(ErrorCode.InvalidAnchor, $"the link from height {height} to the checkpoint {recorded.Height} needs {gap} headers, the proof has {anchor.Headers.Count}");
        var previous = blockHash;
        for (var i = 0; i < anchor.Headers.Count; i++)
        {
            var header = Decode($"anchor.headers[{i}]", () => BlockHeader.Decode(DecodeBase64(anchor.Headers[i], $"anchor.headers[{i}]")));
            if (header.Height != height + (ulong)i + 1)
                throw Fail(ErrorCode.InvalidAnchor, $"anchor.headers[{i}] is at height {header.Height}, the link needs {height + (ulong)i + 1}");
            if (header.PrevHash != previous)
                throw Fail(ErrorCode.InvalidAnchor, $"anchor.headers[{i}] (height {header.Height}) does not follow block {previous}");
            previous = header.ComputeHash(Hasher);
        }
        if (previous != recorded.BlockHash)
            throw Fail(ErrorCode.InvalidAnchor, $"the link ends at block {previous}, the anchored checkpoint is block {recorded.BlockHash}");
        return new AnchorCheckpoint(
            recorded.Height, recorded.BlockHash, record.Header.Height, record.TxId, recorded.EvmChainId, "0x" + Convert.ToHexStringLower(recorded.Contract.Span),
            "0x" + recorded.TxHash.ToHex(), recorded.ExternalBlock, "0x" + recorded.ExternalBlockHash.ToHex(), DateTimeOffset.FromUnixTimeSeconds(recorded.ExternalTime), anchor.Headers.Count);
    }

    /// <summary>
    /// proof-format §2 check 7b: the proof carries exactly one revocation status per certificate the tx relies on, in
    /// order; each is proved under the block's state root; a record the chain made before this tx is
    /// <see cref="ErrorCode.CertificateRevoked"/>, one made later (in the same block after it) is returned for the report.
    /// </summary>
    private static LaterRevocation[] CheckRevocations(IReadOnlyList<RevocationProofJson> statuses, IReadOnlyList<(byte[] Key, LedgerCertificate Certificate)> reliedOn, BlockHeader header, long txIndex)
    {
        if (statuses.Count != reliedOn.Count)
            throw Fail(ErrorCode.RevocationStatusMissing, $"the tx relies on {reliedOn.Count} certificates, the proof gives the revocation status of {statuses.Count}");
        var later = new List<LaterRevocation>();
        for (var i = 0; i < reliedOn.Count; i++)
        {
            var (key, certificate) = reliedOn[i];
            var status = statuses[i];
            if (!string.Equals(status.Key, Convert.ToHexStringLower(key), StringComparison.OrdinalIgnoreCase))
                throw Fail(ErrorCode.RevocationStatusMissing, $"revocation status {i} is for key {status.Key}, the tx relies on {certificate.Subject} (key {Convert.ToHexStringLower(key)})");
            var record = status.Record is null ? null : DecodeBase64(status.Record, $"revocations[{i}].record");
            var proved = Decode($"revocations[{i}].stateProof", () => status.StateProof.ToProof())
                .Verify(Hasher, header.StateRoot, key, record, present: record is not null);
            if (!proved.IsValid) throw Fail(ErrorCode.InvalidStateProof, $"revocation status of {certificate.Subject}: {proved.Reason}");
            if (record is null) continue;
            var revocation = Decode($"revocations[{i}].record", () => RevocationRecord.Decode(record));
            if (revocation.Precedes(header.Height, txIndex))
                throw Fail(ErrorCode.CertificateRevoked, $"{certificate.Subject} (serial {certificate.SerialNumberHex}) was revoked on chain at height {revocation.Height} (tx {revocation.TxId}), before this tx at height {header.Height}; its CA dates the revocation {DateTimeOffset.FromUnixTimeMilliseconds(revocation.RevokedAt):u}");
            later.Add(new LaterRevocation(certificate.Id, certificate.Subject, revocation.Height, DateTimeOffset.FromUnixTimeMilliseconds(revocation.RevokedAt)));
        }
        return [.. later];
    }

    /// <summary>
    /// Checks that <paramref name="header"/> is a block of this chain certified by its validators — the checks a tx
    /// proof's block passes (a contract bundle's state proof rests on such a header).
    /// </summary>
    public ValidationResult VerifyCertifiedBlock(BlockHeader header, CommitCertificate commit, IReadOnlyList<string> validatorsPem, IReadOnlyList<string> intermediatesPem,
        IReadOnlyList<ValidatorCheckpointJson>? checkpoints, out IReadOnlyList<SealingValidator> sealedBy, out int validatorCount)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(commit);
        sealedBy = [];
        validatorCount = 0;
        try
        {
            var validators = validatorsPem.Select((pem, i) => Decode($"validators[{i}]", () => LedgerCertificate.FromPem(pem))).ToArray();
            var intermediates = intermediatesPem.Select((pem, i) => Decode($"intermediates[{i}]", () => LedgerCertificate.FromPem(pem))).ToArray();
            var blockTime = Decode("header.timestamp", () => DateTimeOffset.FromUnixTimeMilliseconds(header.Timestamp));
            var (_, _, set, sealers) = CheckBlock(header, commit, validators, intermediates, blockTime, checkpoints);
            sealedBy = sealers;
            validatorCount = set.Count;
            return ValidationResult.Valid;
        }
        catch (LedgerException e)
        {
            return e.ToResult();
        }
    }

    private (Hash32 BlockHash, CertificateChainValidator Trust, Dictionary<Hash32, LedgerCertificate> Set, SealingValidator[] SealedBy) CheckBlock(
        BlockHeader header, CommitCertificate commit, LedgerCertificate[] validators, LedgerCertificate[] intermediates, DateTimeOffset blockTime,
        IReadOnlyList<ValidatorCheckpointJson>? checkpoints)
    {
        var trust = new CertificateChainValidator(_root, [.. _genesisIntermediates, .. intermediates], []);
        // 5a. The chain's validator set at this height: genesis's, changed only by certified governance checkpoints.
        var set = SetAt(header.Height, checkpoints, trust);
        var (blockHash, sealedBy) = CheckCertified(header, commit, set, trust, "", intermediates);
        CheckListedValidators(validators, set.Members);
        return (blockHash, trust, set.Members, sealedBy);
    }

    private sealed record SetView(Dictionary<Hash32, LedgerCertificate> Members, Hash32 Hash);

    private static SetView ViewOf(IReadOnlyList<Core.Governance.ValidatorMember> members, string what)
    {
        var certificates = new Dictionary<Hash32, LedgerCertificate>();
        foreach (var member in members)
        {
            var certificate = Decode($"{what}: validator {member.Name}", () => LedgerCertificate.FromDer(member.Certificate.ToArray()));
            if (!certificates.TryAdd(certificate.Id, certificate))
                throw Fail(ErrorCode.InvalidProof, $"{what}: validator {certificate.Subject} is listed twice");
        }
        return new SetView(certificates, ValidatorSet.ComputeHash(Hasher, certificates.Keys));
    }

    /// <summary>
    /// The validator set deciding <paramref name="height"/>: genesis's schedule, replaced at each checkpoint by the schedule
    /// that checkpoint's block holds in its state — each checkpoint block certified by the set the schedule before it gives
    /// for its height, so every transition since genesis is a quorum's (proof-format §2, validator sets).
    /// </summary>
    private SetView SetAt(ulong height, IReadOnlyList<ValidatorCheckpointJson>? checkpoints, CertificateChainValidator trust)
    {
        var schedule = _genesisSchedule;
        ulong previous = 0;
        for (var i = 0; i < (checkpoints?.Count ?? 0); i++)
        {
            var checkpoint = checkpoints![i];
            var what = $"validatorCheckpoints[{i}]";
            var header = Decode($"{what}.header", () => BlockHeader.Decode(DecodeBase64(checkpoint.Header, $"{what}.header")));
            var commit = Decode($"{what}.commit", () => CommitCertificate.Decode(DecodeBase64(checkpoint.Commit, $"{what}.commit")));
            if (header.Height <= previous || header.Height >= height)
                throw Fail(ErrorCode.InvalidProof, $"{what} is at height {header.Height}: checkpoints ascend, each below the proof's height {height}");
            previous = header.Height;
            CheckCertified(header, commit, ViewOf(schedule.At(header.Height).Members, what), trust, $"{what}: ", []);
            var bytes = DecodeBase64(checkpoint.Schedule, $"{what}.schedule");
            var proved = Decode($"{what}.stateProof", () => checkpoint.StateProof.ToProof())
                .Verify(Hasher, header.StateRoot, Core.Governance.GovernanceKeys.Schedule, bytes, present: true);
            if (!proved.IsValid) throw Fail(ErrorCode.InvalidStateProof, $"{what}: the validator schedule is not the one under the block's state root: {proved.Reason}");
            var next = Decode($"{what}.schedule", () => Core.Governance.ValidatorSchedule.Decode(bytes));
            if (next.ChangedAt.Count == 0 || next.ChangedAt[^1] != header.Height)
                throw Fail(ErrorCode.InvalidProof, $"{what}: block {header.Height} is not the last change its schedule records");
            // A change takes effect after the block that passed it: the sets up to this height stand as they were.
            if (!SameUpTo(schedule, next, header.Height))
                throw Fail(ErrorCode.InvalidProof, $"{what}: the schedule of block {header.Height} rewrites the validator sets of heights already decided");
            schedule = next;
        }
        return ViewOf(schedule.At(height).Members, $"the validator set of height {height}");
    }

    private static bool SameUpTo(Core.Governance.ValidatorSchedule before, Core.Governance.ValidatorSchedule after, ulong height)
    {
        var a = before.Sets.Where(s => s.FromHeight <= height).ToArray();
        var b = after.Sets.Where(s => s.FromHeight <= height).ToArray();
        return a.Length == b.Length && a.Zip(b).All(p => p.First.FromHeight == p.Second.FromHeight && p.First.Members.SequenceEqual(p.Second.Members));
    }

    /// <summary>Checks 4-6 for one block against a given set: its certificate, its place after genesis, the set it names, a quorum of valid seals.</summary>
    /// <param name="intermediates">The proof's own CAs, each checked valid at the block's time once the block is known to be of this chain.</param>
    private (Hash32 BlockHash, SealingValidator[] SealedBy) CheckCertified(BlockHeader header, CommitCertificate commit, SetView set, CertificateChainValidator trust, string what,
        IReadOnlyList<LedgerCertificate> intermediates)
    {
        var chainId = Genesis.ChainId;
        var blockTime = Decode($"{what}header.timestamp", () => DateTimeOffset.FromUnixTimeMilliseconds(header.Timestamp));
        // 4. The commit certificate is for this block.
        var blockHash = header.ComputeHash(Hasher);
        if (commit.BlockHash != blockHash)
            throw Fail(ErrorCode.InvalidBlockHash, $"{what}the commit certificate seals block {commit.BlockHash}, the header hashes to {blockHash}");
        if (commit.Height != header.Height)
            throw Fail(ErrorCode.InvalidBlockHash, $"{what}the commit certificate is for height {commit.Height}, the header for {header.Height}");

        // 5. A block of the chain after genesis, made by the chain's validator set — never the set the proof or the
        //    header names for itself — whose members are certified by the genesis root at block time.
        if (header.Height == 0)
            throw Fail(ErrorCode.PreGenesisBlock, $"{what}height 0 is genesis, not a block that can hold a tx");
        if (header.Timestamp <= Genesis.GenesisTime)
            throw Fail(ErrorCode.PreGenesisBlock, $"{what}the block's time {blockTime:O} is not after genesis ({DateTimeOffset.FromUnixTimeMilliseconds(Genesis.GenesisTime):O})");
        if (header.ValidatorSetHash != set.Hash)
            throw Fail(ErrorCode.UnknownValidatorSet, $"{what}the header names validator set {header.ValidatorSetHash}, the chain's set at height {header.Height} is {set.Hash}");
        foreach (var intermediate in intermediates)
            Require(trust.Validate(intermediate, blockTime), $"intermediate {intermediate.Subject}");
        foreach (var validator in set.Members.Values)
        {
            if (validator.Role != Role.Validator)
                throw Fail(ErrorCode.WrongCertificateRole, $"{what}{validator.Subject} has role {validator.Role}, not Validator");
        }

        // 6. A quorum of distinct, valid seals by that set, counting only seals whose certificate chains to the root at the
        //    block's time: a member whose certificate lapsed before its renewal took effect seals nothing a court accepts,
        //    but does not make the others' seals worthless.
        return (blockHash, CheckSeals(commit, chainId, set.Members, v => trust.Validate(v, blockTime), what));
    }

    /// <summary>
    /// A sealed block's time was found timely by a quorum on their own clocks (PBTS); the window is genesis's, so a proof
    /// cannot widen or narrow it.
    /// </summary>
    private AttestedTime AttestedTimeOf(DateTimeOffset blockTime, int validators)
    {
        var timing = ProposalTiming.From(Genesis.Consensus);
        return new AttestedTime(blockTime, ValidatorSet.Quorum(validators), validators, timing.Precision, timing.MessageDelay);
    }

    /// <summary>
    /// The proof carries the validators' certificates for readers without genesis at hand; they must be exactly the
    /// chain's set, so a proof never shows a court a validator the chain does not have.
    /// </summary>
    private static void CheckListedValidators(IReadOnlyList<LedgerCertificate> listed, Dictionary<Hash32, LedgerCertificate> set)
    {
        var seen = new HashSet<Hash32>();
        foreach (var validator in listed)
        {
            if (!seen.Add(validator.Id))
                throw Fail(ErrorCode.InvalidProof, $"validator {validator.Subject} is listed twice");
            if (!set.ContainsKey(validator.Id))
                throw Fail(ErrorCode.UnknownValidator, $"the proof lists {validator.Subject} ({validator.Id}), not a validator of the chain at that height");
        }
        if (seen.Count != set.Count)
            throw Fail(ErrorCode.UnknownValidator, $"the proof lists {seen.Count} validators, the chain's set at that height has {set.Count}");
    }

    private static SealingValidator[] CheckSeals(CommitCertificate commit, string chainId, Dictionary<Hash32, LedgerCertificate> set,
        Func<LedgerCertificate, ValidationResult> validAtBlockTime, string what)
    {
        var seen = new HashSet<Hash32>();
        var sealers = new LedgerCertificate[commit.Seals.Count];
        for (var i = 0; i < commit.Seals.Count; i++)
        {
            var seal = commit.Seals[i];
            if (!set.TryGetValue(seal.Validator, out var validator))
                throw Fail(ErrorCode.UnknownValidator, $"seal {i} is by {seal.Validator}, not a validator of the set");
            if (!seen.Add(seal.Validator))
                throw Fail(ErrorCode.DuplicateSeal, $"seal {i} repeats {validator.Subject}'s seal");
            sealers[i] = validator;
        }
        var quorum = ValidatorSet.Quorum(set.Count);
        if (seen.Count < quorum)
            throw Fail(ErrorCode.InsufficientSeals, $"{seen.Count} seals, a quorum of {set.Count} validators is {quorum}");
        var lapsed = sealers.Select(v => (Validator: v, Validity: validAtBlockTime(v))).Where(c => !c.Validity.IsValid).ToArray();
        if (seen.Count - lapsed.Length < quorum)
        {
            var (validator, validity) = lapsed[0];
            throw Fail(validity.Code,
                $"{what}{seen.Count - lapsed.Length} of the {seen.Count} seals are by certificates valid at the block's time, a quorum of {set.Count} validators is {quorum}: " +
                $"validator {validator.Subject}: {validity.Reason}");
        }

        var message = CommitSeal.SigningMessage(chainId, commit.Height, commit.Round, commit.BlockHash);
        var results = new ValidationResult[sealers.Length];
        void VerifyOne(int i) => results[i] = sealers[i].PublicKey.VerifyDetailed(message, commit.Seals[i].Signature.Span);
        if (sealers.Length >= ParallelSealThreshold) Parallel.For(0, sealers.Length, VerifyOne);
        else for (var i = 0; i < sealers.Length; i++) VerifyOne(i);
        for (var i = 0; i < results.Length; i++)
        {
            if (!results[i].IsValid)
                throw Fail(ErrorCode.InvalidSeal, $"the seal of {sealers[i].Subject} does not verify: {results[i].Reason}");
        }
        return sealers.Except(lapsed.Select(l => l.Validator)).Select(v => new SealingValidator(v.Id, v.Subject, v.Division.Value)).ToArray();
    }

    private static EvidenceSigner[] CheckEndorsements(TxEnvelope envelope, IContractPayload? payload, string chainId, CertificateChainValidator trust, DateTimeOffset blockTime,
        out List<(byte[] Key, LedgerCertificate Certificate)> reliedOn)
    {
        reliedOn = [];
        var keysSeen = new HashSet<string>(StringComparer.Ordinal);
        // The body (the tx id) lists who endorses it: a proof whose envelope carries other endorsements is not this tx.
        var listed = envelope.CheckEndorsersListed(Hasher);
        if (!listed.IsValid) throw Fail(listed.Code, listed.Reason ?? "the endorsements are not the ones the body lists");
        // An ExternalAnchor tx (payload null here) binds no party: it has no statement to sign.
        var statementMessage = payload is null ? null : ContractPayloads.StatementFor(envelope.Body, payload, Hasher).SigningMessage();
        var signers = new List<EvidenceSigner>();
        var submitterSigned = false;
        for (var i = 0; i < envelope.Endorsements.Count; i++)
        {
            var endorsement = envelope.Endorsements[i];
            LedgerCertificate? certificate = null;
            Sm2PublicKey key;
            if (!endorsement.Certificate.IsEmpty)
            {
                certificate = Decode($"endorsements[{i}].certificate", () => LedgerCertificate.FromDer(endorsement.Certificate.ToArray()));
                key = certificate.PublicKey;
            }
            else
            {
                key = Decode($"endorsements[{i}].public_key", () => Sm2PublicKey.FromBytes(endorsement.PublicKey.Span));
            }
            if (endorsement.Scope == EndorsementScope.Statement && statementMessage is null)
                throw Fail(ErrorCode.InvalidAnchor, $"endorsement {i} signs a statement, but an ExternalAnchor tx has none");
            var signed = endorsement.Scope == EndorsementScope.Body ? envelope.BodyBytes.Span : statementMessage;
            var result = key.VerifyDetailed(signed, endorsement.Signature.Span);
            if (!result.IsValid && endorsement.Scope == EndorsementScope.Statement && result.Code == ErrorCode.InvalidSignature)
                throw Fail(ErrorCode.StatementMismatch, $"the statement signature of {certificate?.Subject ?? $"key {key.Id}"} does not cover this tx's payload: the party signed something else");
            if (!result.IsValid)
                throw Fail(ErrorCode.InvalidSignature, $"the {endorsement.Scope} signature of {certificate?.Subject ?? $"key {key.Id}"} does not verify: {result.Reason}");
            if (endorsement.Scope == EndorsementScope.Body && certificate?.Id == envelope.Body.Submitter) submitterSigned = true;
            // A certificate is who the signer claims to be only if the consortium's root vouches for it at block time.
            if (certificate is not null)
            {
                Require(trust.Validate(certificate, blockTime), $"the {endorsement.Scope} signer {certificate.Subject}");
                // Every link below the root could have been revoked by its issuer's CRL on chain.
                Require(trust.TryGetChain(certificate, out var chain), $"the {endorsement.Scope} signer {certificate.Subject}");
                for (var link = 0; link < chain!.Count - 1; link++)
                {
                    var revocationKey = RevocationKeys.Revoked(chain[link + 1].Id, chain[link].SerialNumberBytes);
                    if (keysSeen.Add(Convert.ToHexStringLower(revocationKey))) reliedOn.Add((revocationKey, chain[link]));
                }
            }
            signers.Add(new EvidenceSigner(
                endorsement.Scope,
                key.Id,
                certificate?.Id,
                certificate?.Subject,
                certificate?.Role ?? Role.Unknown,
                certificate?.CreditCode?.Value));
        }
        if (!submitterSigned)
            throw Fail(ErrorCode.MissingEndorsement, $"no body signature by the submitter's certificate {envelope.Body.Submitter}");
        return [.. signers];
    }

    private static MerkleProof Path(IReadOnlyList<string> hexPath, string field, long index, long count)
    {
        if (count is < 1 or > EncodingLimits.MaxTxsPerBlock || index < 0 || index >= count)
            throw Fail(ErrorCode.InvalidMerkleProof, $"leaf {index} of {count} is not a position in a block");
        if (hexPath.Count > MaxPathLength)
            throw Fail(ErrorCode.InvalidMerkleProof, $"{field} has {hexPath.Count} entries");
        return new MerkleProof(index, count, hexPath.Select((h, i) => DecodeHash(h, $"{field}[{i}]")).ToArray());
    }

    private static void Require(ValidationResult result, string what)
    {
        if (!result.IsValid) throw Fail(result.Code, $"{what}: {result.Reason}");
    }

    private static T Decode<T>(string field, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (LedgerException e) when (e.Code != ErrorCode.InvalidProof)
        {
            throw Fail(ErrorCode.InvalidProof, $"{field}: {e.Code}: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw Fail(ErrorCode.InvalidProof, $"{field}: {e.Message}");
        }
    }

    private static byte[] DecodeBase64(string text, string field)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw Fail(ErrorCode.InvalidProof, $"{field} is not base64");
        }
    }

    private static Hash32 DecodeHash(string hex, string field) =>
        Hash32.TryParse(hex, out var hash) ? hash : throw Fail(ErrorCode.InvalidProof, $"{field} is not 64 hex digits");

    private static LedgerException Fail(ErrorCode code, string reason) => new(code, reason);
}
