using Ledger.Client;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using TxEnvelope = Ledger.Core.Transactions.TxEnvelope;
using Block = Ledger.Core.Blocks.Block;

namespace Ledger.Explorer.Api;

// The JSON shapes of the API (README "Explorer"). Only commitments, hashes, certificate subjects of legal persons and
// credit codes appear: a worker is a commitment or a key id, never a name; a Worker-role certificate's subject is withheld.

internal sealed record ValidatorRef(string CertificateId, string? Name, string? Division, string? Bureau = null);

internal sealed record SignerView(string Scope, string KeyId, string? CertificateId, string? Subject, string Role, string? CreditCode, string? Division);

internal sealed record TxSummaryView(string TxId, int Index, string? Action, string? ContractId, string ReceiptCode);

internal sealed record BlockView(
    ulong Height, string Hash, string PrevHash, DateTimeOffset Time, string TxRoot, string ReceiptsRoot, string StateRoot,
    ValidatorRef Proposer, uint Round, string ValidatorSetHash, int TxCount, IReadOnlyList<TxSummaryView> Transactions,
    uint? CommitRound, IReadOnlyList<ValidatorRef> Seals, bool Immutable);

internal sealed record TermsView(string Type, string Start, string? End, string? ProbationEnd, string PlaceOfWork, string Industry, string? ModelTextId);

internal sealed record PayloadView(
    string? Action, string? ContractId, uint? Version, string? DocumentHash, string? DocumentFormat, string? EmployerCreditCode,
    string? WorkerPseudonym, TermsView? Terms, string? Detail, string? EffectiveDate, string? PaperSignedOn, string? AttestationReference);

internal sealed record TxView(
    string TxId, ulong Height, int Index, string BlockHash, DateTimeOffset BlockTime, string ReceiptCode, string ReceiptMessage,
    IReadOnlyList<string> Warnings, string ChainId, string Submitter, DateTimeOffset ExpiresAt, PayloadView Payload, IReadOnlyList<SignerView> Endorsements)
{
    /// <summary>The contract this tx belongs to, as it stands now: a clerk holding version 1 must see that version 2 is in force.</summary>
    public ContractNowView? ContractNow { get; init; }
}

/// <summary>
/// A contract's standing now, beside an event of it: its status, the version the event names (0: the whole contract),
/// the version in force (0: none), the newest version, and whether the event's version has been superseded by a later
/// one that was concluded.
/// </summary>
internal sealed record ContractNowView(string Status, uint Version, uint EffectiveVersion, uint LatestVersion, bool Superseded);

internal sealed record VersionView(uint Number, string CreatedBy, string DocumentHash, string DocumentFormat, TermsView? Terms, bool EmployerSigned, bool WorkerSigned, string? PaperSignedOn, bool Concluded);

internal sealed record EventView(
    string Action, uint Version, string TxId, ulong Height, DateTimeOffset Time, string SubmitterRole, string? SubmitterCertificateId,
    string? Detail, string? EffectiveDate, string? DocumentHash, string ReceiptCode, IReadOnlyList<SignerView> Signers);

internal sealed record ContractView(
    string ContractId, string EmployerCreditCode, string WorkerPseudonym, string Status, string EvidenceGrade, uint EffectiveVersion,
    string? ClosedOn, string? ClosureDetail, string? AttestationReference, IReadOnlyList<VersionView> Versions, IReadOnlyList<EventView> Timeline);

internal sealed record AnchorView(string TxId, string? ContractId, string? Action, uint? Version, ulong Height, string BlockHash, DateTimeOffset Time, string ReceiptCode, IReadOnlyList<SignerView> Signers);

internal sealed record PublicAnchorView(ulong Height, string BlockHash, DateTimeOffset Time, string Action, string ReceiptCode, string ContractStatus);

internal sealed record PublicDocumentView(string DocumentHash, bool Anchored, IReadOnlyList<PublicAnchorView> Anchors, IReadOnlyList<BatchAnchorView> Batches);

internal sealed record DocumentView(string DocumentHash, bool Anchored, IReadOnlyList<AnchorView> Anchors, IReadOnlyList<ContractView> Contracts, IReadOnlyList<BatchAnchorView> Batches);

/// <summary>A sealed paper batch holding the document: when and where it was anchored and the batch's size (the public facts only).</summary>
internal sealed record BatchAnchorView(ulong Height, DateTimeOffset Time, string SealTxId, uint DocumentCount, string Status);

/// <summary>Where a verified batch document sits in its batch.</summary>
internal sealed record BatchReportView(string Root, long Index, long Count, string Grade);

internal sealed record ReportView(
    string? ChainId, string? TxId, ulong? Height, string? BlockHash, DateTimeOffset? BlockTime, string? ContractId, string? Action, uint? Version,
    string? DocumentHash, string? ReceiptCode, string? ReceiptMessage, IReadOnlyList<SignerView> Signers, IReadOnlyList<ValidatorRef> SealedBy, int ValidatorCount,
    AttestedTimeView? AttestedTime, BatchReportView? Batch = null);

/// <summary>The proposer-based time bound: a quorum of validators accepted the block's time on clocks within ±BoundMs of it.</summary>
internal sealed record AttestedTimeView(int Quorum, int Validators, long PrecisionMs, long MessageDelayMs, long BoundMs);

internal sealed record TrustView(string Source, string ChainId, string NetworkName, string GenesisHash);

internal sealed record VerificationView(bool Valid, string Code, string? Reason, TrustView? TrustAnchor, bool FileChecked, bool? FileMatches, string? FileHash, ReportView? Report);

/// <summary>Maps what the node sent (decoded and checked by Ledger.Core) to the API's views.</summary>
internal sealed class ApiViews(TrustAnchor? trust)
{
    private static readonly Sm3Hasher Hasher = Sm3Hasher.Instance;

    private readonly Dictionary<Hash32, ValidatorInfo> _validators = trust?.Validators.ToDictionary(v => v.CertificateId) ?? [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Hash32, ValidatorInfo> _added = new();

    /// <summary>Genesis's validators, then those learned from a verified set (voted in later).</summary>
    public ValidatorRef Validator(Hash32 id) =>
        _validators.TryGetValue(id, out var v) || _added.TryGetValue(id, out v) ? new ValidatorRef(id.ToHex(), v.Name, v.Division, v.Bureau) : new ValidatorRef(id.ToHex(), null, null);

    /// <summary>Whether a validator is named: in genesis, or learned.</summary>
    public bool Knows(Hash32 id) => _validators.ContainsKey(id) || _added.ContainsKey(id);

    /// <summary>The validators learned so far (not in genesis).</summary>
    public IReadOnlyCollection<ValidatorInfo> Added => _added.Values.OrderBy(v => v.CertificateId).ToArray();

    /// <summary>
    /// A validator of a set the caller verified (it derives from genesis and a block verifies under it): named by its
    /// certificate's CN, and by the bureau of its certificate's division, as genesis names its own validators.
    /// </summary>
    public void Learn(LedgerCertificate certificate)
    {
        if (_validators.ContainsKey(certificate.Id)) return;
        _added[certificate.Id] = new ValidatorInfo(certificate.Id, certificate.CommonName, certificate.Division.Value, certificate.Subject,
            BureauNames.Of(certificate.Division));
    }

    public BlockView Block(Block block, bool immutable)
    {
        var header = block.Header;
        var txs = block.Transactions.Select((bytes, i) =>
        {
            var envelope = TxEnvelope.Decode(bytes.Span);
            var payload = TryPayload(envelope);
            return new TxSummaryView(envelope.ComputeId(Hasher).ToHex(), i, payload?.Action.ToString(), payload?.ContractId, block.Receipts[i].Code.ToString());
        }).ToArray();
        return new BlockView(
            header.Height, header.ComputeHash(Hasher).ToHex(), header.PrevHash.ToHex(), Time(header.Timestamp), header.TxRoot.ToHex(),
            header.ReceiptsRoot.ToHex(), header.StateRoot.ToHex(), Validator(header.Proposer), header.Round, header.ValidatorSetHash.ToHex(),
            block.Transactions.Count, txs, block.Commit?.Round, block.Commit?.Seals.Select(s => Validator(s.Validator)).ToArray() ?? [], immutable);
    }

    public TxView Transaction(CommittedTx tx)
    {
        var envelope = tx.Envelope;
        var body = envelope.Body;
        return new TxView(
            tx.TxId.ToHex(), tx.Height, tx.Index, tx.BlockHash.ToHex(), tx.BlockTime, tx.Receipt.Code.ToString(), tx.Receipt.Message,
            tx.Receipt.Warnings.Select(w => w.ToString()).ToArray(), body.ChainId, body.Submitter.ToHex(), Time(body.ExpiresAt),
            Payload(TryPayload(envelope)), Signers(envelope));
    }

    public ContractView Contract(ContractInfo info)
    {
        var r = info.Record;
        var txs = info.History.ToDictionary(t => t.TxId);
        var timeline = r.History.Select(h =>
        {
            var txId = new Hash32(h.TxId.Span);
            txs.TryGetValue(txId, out var tx);
            var payload = tx is null ? null : TryPayload(tx.Envelope);
            return new EventView(
                Name(h.Action), h.Version, txId.ToHex(), h.Height, Time(h.BlockTime), h.SubmitterRole,
                h.SubmitterCertificateId.IsEmpty ? null : Convert.ToHexStringLower(h.SubmitterCertificateId.Span),
                string.IsNullOrEmpty(h.DetailName) ? null : h.DetailName, Date(h.EffectiveDate),
                payload?.StatementDocumentHash.ToHex(), tx?.Receipt.Code.ToString() ?? "Ok", tx is null ? [] : Signers(tx.Envelope));
        }).ToArray();
        return new ContractView(
            r.ContractId, r.EmployerCreditCode, Convert.ToHexStringLower(r.WorkerPseudonym.Span), Name(r.Status), Name(r.EvidenceGrade),
            r.EffectiveVersion, Date(r.ClosedOn), string.IsNullOrEmpty(r.ClosureDetailName) ? null : r.ClosureDetailName,
            string.IsNullOrEmpty(r.AttestationReference) ? null : r.AttestationReference,
            r.Versions.Select(v => new VersionView(
                v.Number, Name(v.CreatedBy), Convert.ToHexStringLower(v.DocumentHash.Span), Name(v.DocumentFormat), Terms(v.Terms),
                v.EmployerSigned, v.WorkerSigned, Date(v.PaperSignedOn), v.Concluded)).ToArray(),
            timeline);
    }

    public AnchorView Anchor(CommittedTx tx)
    {
        var payload = TryPayload(tx.Envelope);
        return new AnchorView(tx.TxId.ToHex(), payload?.ContractId, payload?.Action.ToString(), payload?.StatementVersion, tx.Height, tx.BlockHash.ToHex(),
            tx.BlockTime, tx.Receipt.Code.ToString(), Signers(tx.Envelope));
    }

    public ReportView Report(EvidenceReport report) => new(
        report.ChainId, report.TxId?.ToHex(), report.Height, report.BlockHash?.ToHex(), report.BlockTime, report.ContractId, report.Action?.ToString(),
        report.Version, report.DocumentHash?.ToHex(), report.ReceiptCode?.ToString(), report.ReceiptMessage,
        report.Signers.Select(s => new SignerView(
            s.Scope.ToString(), s.KeyId.ToHex(), s.CertificateId?.ToHex(), s.Role == Role.Worker ? null : CommonName(s.Subject), s.Role.ToString(), s.CreditCode, null)).ToArray(),
        report.SealedBy.Select(v => _validators.TryGetValue(v.CertificateId, out var known)
            ? new ValidatorRef(v.CertificateId.ToHex(), known.Name, known.Division, known.Bureau)
            : _added.TryGetValue(v.CertificateId, out var added)
                ? new ValidatorRef(v.CertificateId.ToHex(), added.Name, added.Division, added.Bureau)
                : new ValidatorRef(v.CertificateId.ToHex(), CommonName(v.Subject), v.Division, BureauNames.Of(v.Division))).ToArray(),
        report.ValidatorCount,
        report.AttestedTime is { } a
            ? new AttestedTimeView(a.Quorum, a.Validators, (long)a.Precision.TotalMilliseconds, (long)a.MessageDelay.TotalMilliseconds, (long)a.Bound.TotalMilliseconds)
            : null,
        report.PaperBatch is { } b ? new BatchReportView(b.Root.ToHex(), b.Index, b.Count, b.Grade.ToString()) : null);

    public static BatchAnchorView Batch(Ledger.Proto.V1.BatchDocument b) =>
        new(b.Height, DateTimeOffset.FromUnixTimeMilliseconds(b.BlockTime), Convert.ToHexStringLower(b.SealTxId.Span), b.DocumentCount, b.Status);

    /// <summary>Each endorsement with its certificate's subject and role; a Worker certificate without its subject (the pseudonym is in the payload), a bare key (no role) by key id.</summary>
    public static IReadOnlyList<SignerView> Signers(TxEnvelope envelope) => envelope.Endorsements.Select(e =>
    {
        if (e.Certificate.IsEmpty)
        {
            string keyId;
            try
            {
                keyId = Sm2PublicKey.FromBytes(e.PublicKey.Span).Id.ToHex();
            }
            catch (LedgerException)
            {
                keyId = "";
            }
            return new SignerView(e.Scope.ToString(), keyId, null, null, Role.Unknown.ToString(), null, null);
        }
        try
        {
            var certificate = LedgerCertificate.FromDer(e.Certificate.ToArray());
            var hideSubject = certificate.Role == Role.Worker;
            return new SignerView(e.Scope.ToString(), certificate.PublicKey.Id.ToHex(), certificate.Id.ToHex(), hideSubject ? null : certificate.CommonName,
                certificate.Role.ToString(), certificate.CreditCode?.Value, certificate.Division.Value);
        }
        catch (LedgerException)
        {
            return new SignerView(e.Scope.ToString(), "", null, null, Role.Unknown.ToString(), null, null);
        }
    }).ToArray();

    /// <summary>The CN of a distinguished name ("C=CN,organizationIdentifier=...,CN=Name" → "Name"); the whole name if it has none.</summary>
    private static string? CommonName(string? subject)
    {
        if (subject is null) return null;
        var at = subject.LastIndexOf("CN=", StringComparison.Ordinal);
        if (at < 0 || (at > 0 && subject[at - 1] != ',')) return subject;
        var end = subject.IndexOf(',', at);
        return end < 0 ? subject[(at + 3)..] : subject[(at + 3)..end];
    }

    private static IContractPayload? TryPayload(TxEnvelope envelope)
    {
        try
        {
            return ContractPayloads.IsContractPayload(envelope.Body.PayloadField) ? ContractPayloads.Decode(envelope.Body) : null;
        }
        catch (LedgerException)
        {
            return null;
        }
    }

    private static PayloadView Payload(IContractPayload? payload) => payload switch
    {
        null => new PayloadView(null, null, null, null, null, null, null, null, null, null, null, null),
        RegisterPayload p => Common(p) with { DocumentFormat = p.DocumentFormat.ToString(), EmployerCreditCode = p.EmployerCreditCode, WorkerPseudonym = p.WorkerPseudonym.ToHex(), Terms = Terms(p.Terms) },
        ChangePayload p => Common(p) with { DocumentFormat = p.DocumentFormat.ToString(), Terms = Terms(p.Terms) },
        RenewPayload p => Common(p) with { DocumentFormat = p.DocumentFormat.ToString(), Terms = Terms(p.Terms) },
        DissolvePayload p => Common(p) with { Detail = p.Basis.ToString(), EffectiveDate = Date(p.EffectiveDate) },
        TerminatePayload p => Common(p) with { Detail = p.Reason.ToString(), EffectiveDate = Date(p.EffectiveDate) },
        UploadPaperPayload p => Common(p) with
        {
            DocumentFormat = p.ScanFormat.ToString(), EmployerCreditCode = p.EmployerCreditCode, WorkerPseudonym = p.WorkerPseudonym.ToHex(),
            Terms = Terms(p.Terms), PaperSignedOn = Date(p.PaperSignedOn), AttestationReference = p.AttestationReference,
        },
        ConfirmPaperPayload p => Common(p) with { AttestationReference = p.AttestationReference },
        _ => Common(payload),
    };

    private static PayloadView Common(IContractPayload p) =>
        new(p.Action.ToString(), p.ContractId, p.StatementVersion, p.StatementDocumentHash.ToHex(), null, null, null, null, null, null, null, null);

    private static TermsView Terms(Core.Contracts.ContractTerms t) =>
        new(t.Type.ToString(), Date(t.Start), t.End is { } e ? Date(e) : null, t.ProbationEnd is { } p ? Date(p) : null, t.PlaceOfWork, t.Industry, t.ModelTextId);

    private static TermsView? Terms(Proto.V1.ContractTerms? t) => t is null ? null :
        new(Name(t.Type), Date(t.Start) ?? "", Date(t.End), Date(t.ProbationEnd), t.PlaceOfWork, t.Industry, string.IsNullOrEmpty(t.ModelTextId) ? null : t.ModelTextId);

    private static string Date(ContractDate d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";

    /// <summary>A yyyymmdd number as yyyy-mm-dd; 0 is none.</summary>
    private static string? Date(uint yyyymmdd) => yyyymmdd == 0 ? null : $"{yyyymmdd / 10000:D4}-{yyyymmdd / 100 % 100:D2}-{yyyymmdd % 100:D2}";

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(unixMs, -62135596800000L, 253402300799999L));

    /// <summary>A wire enum's value name without its prefix: CONTRACT_STATUS_EFFECTIVE → Effective.</summary>
    private static string Name<T>(T value) where T : struct, Enum => value.ToString();
}
