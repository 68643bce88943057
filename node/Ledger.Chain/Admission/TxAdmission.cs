using Ledger.Core.Caching;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Core.Crypto;
using Ledger.Chain.Revocation;
using Ledger.Core.Execution;
using Ledger.Core.Revocation;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;

namespace Ledger.Chain.Admission;

/// <summary>
/// Admission of a tx into the mempool (ARCHITECTURE §5): size, format, chain id, expiry, payload, replay
/// against committed state, certificates and every signature — cheapest checks first, each failure a typed
/// code. A verified tx is remembered by id, so a tx seen again is not verified twice; its signatures are
/// never checked again at execution. Thread-safe: concurrent submissions verify on all cores at once.
/// </summary>
public sealed class TxAdmission(
    string chainId,
    IChaincode chaincode,
    CertificateRegistry certificates,
    IHasher hasher,
    IReplayIndex replay,
    AdmissionOptions? options = null)
{
    private readonly AdmissionOptions _options = options ?? new AdmissionOptions();
    private readonly LruCache<Hash32, AdmittedTx> _verified = new((options ?? new AdmissionOptions()).VerifiedCacheCapacity);

    public AdmissionResult Admit(ReadOnlyMemory<byte> bytes, DateTimeOffset now)
    {
        if (bytes.Length > EncodingLimits.MaxTxBytes)
            return AdmissionResult.Refused(null, ErrorCode.Oversize, $"tx of {bytes.Length} bytes exceeds {EncodingLimits.MaxTxBytes}");
        TxEnvelope envelope;
        try
        {
            envelope = TxEnvelope.Decode(bytes.Span);
        }
        catch (LedgerException e)
        {
            return AdmissionResult.Refused(null, e.ToResult());
        }
        var txId = envelope.ComputeId(hasher);
        var body = envelope.Body;
        var nowMs = now.ToUnixTimeMilliseconds();

        var basic = CheckBody(body, nowMs);
        if (!basic.IsValid) return AdmissionResult.Refused(txId, basic);
        if (replay.IsCommitted(txId)) return AdmissionResult.Refused(txId, ErrorCode.DuplicateTransaction, $"tx {txId} is already committed");
        if (replay.IsNonceUsed(body.Submitter, body.Nonce))
            return AdmissionResult.Refused(txId, ErrorCode.StaleNonce, $"nonce {body.Nonce} of this submitter is already used");

        // The body lists its endorsements, so another envelope with the same id differs at most in signature bytes:
        // still, only an identical envelope reuses the verdict.
        if (_verified.TryGetValue(txId, out var known) && known.Bytes.Span.SequenceEqual(bytes.Span))
            return new AdmissionResult(txId, known, ValidationResult.Valid);

        var admitted = VerifyEndorsements(txId, bytes, envelope, now, checkRevocation: true, out var failure);
        if (admitted is null) return AdmissionResult.Refused(txId, failure);
        _verified.Set(txId, admitted);
        return new AdmissionResult(txId, admitted, ValidationResult.Valid);
    }

    /// <summary>
    /// Checks a tx that arrived inside another validator's proposed block: format, chain id, payload, certificates
    /// (chain and validity at the block's time) and signatures — the checks every node must agree on. Revocation is not
    /// checked here but by a block rule (<see cref="Validation.EndorsementRevocationRule"/>), so where it comes from
    /// (this node's CRL files, or the chain's own record) is the rule's business. Expiry, replay and nonces are
    /// the executor's, against the block's time and state, so they come out as receipts on every node alike.
    /// </summary>
    public AdmissionResult VerifyForBlock(ReadOnlyMemory<byte> bytes, DateTimeOffset blockTime)
    {
        TxEnvelope envelope;
        try
        {
            envelope = TxEnvelope.Decode(bytes.Span);
        }
        catch (LedgerException e)
        {
            return AdmissionResult.Refused(null, e.ToResult());
        }
        var txId = envelope.ComputeId(hasher);
        if (_verified.TryGetValue(txId, out var known) && known.Bytes.Span.SequenceEqual(bytes.Span))
            return new AdmissionResult(txId, known, ValidationResult.Valid);
        if (!string.Equals(envelope.Body.ChainId, chainId, StringComparison.Ordinal))
            return AdmissionResult.Refused(txId, ErrorCode.WrongChainId, $"tx is for chain '{envelope.Body.ChainId}'");
        var payload = ValidatePayload(envelope.Body);
        if (!payload.IsValid) return AdmissionResult.Refused(txId, payload);
        var admitted = VerifyEndorsements(txId, bytes, envelope, blockTime, checkRevocation: false, out var failure);
        return admitted is null ? AdmissionResult.Refused(txId, failure) : new AdmissionResult(txId, admitted, ValidationResult.Valid);
    }

    /// <summary>
    /// The revocation state keys of every certificate a committed tx relies on — each endorsing certificate and the CAs
    /// above it, in endorsement order, each once — for its proof. Its signatures were checked when it was committed, so
    /// only the certificates are resolved (parsed and chained once each, then cached).
    /// </summary>
    public IReadOnlyList<byte[]> RevocationKeysOf(TxEnvelope envelope, DateTimeOffset blockTime)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var keys = new List<byte[]>();
        foreach (var endorsement in envelope.Endorsements.Where(e => !e.Certificate.IsEmpty))
        {
            var resolved = certificates.ResolveCertificate(endorsement.Certificate.Span, blockTime, checkRevocation: false, out var signer);
            if (!resolved.IsValid) throw new LedgerException(ErrorCode.StorageCorrupt, $"a committed tx's certificate no longer resolves: {resolved}");
            foreach (var key in signer!.RevocationKeys)
                if (!keys.Any(k => k.AsSpan().SequenceEqual(key))) keys.Add(key);
        }
        return keys;
    }

    /// <summary>Forgets verified txs that are now committed (called after each block).</summary>
    public void Forget(IEnumerable<Hash32> txIds)
    {
        foreach (var id in txIds) _verified.Remove(id);
    }

    private ValidationResult CheckBody(TxBody body, long nowMs)
    {
        if (!string.Equals(body.ChainId, chainId, StringComparison.Ordinal))
            return ValidationResult.Fail(ErrorCode.WrongChainId, $"tx is for chain '{body.ChainId}', this is '{chainId}'");
        if (body.ExpiresAt <= nowMs)
            return ValidationResult.Fail(ErrorCode.Expired, $"tx expired at {DateTimeOffset.FromUnixTimeMilliseconds(body.ExpiresAt):O}");
        if (body.ExpiresAt > nowMs + (long)_options.MaxTimeToLive.TotalMilliseconds)
            return ValidationResult.Fail(ErrorCode.ExpiryTooFar, $"tx expiry is more than {_options.MaxTimeToLive.TotalHours:0} h ahead");
        return ValidatePayload(body);
    }

    /// <summary>The chain's own payloads (a CRL, governance) are checked here, every other by the chaincode.</summary>
    private ValidationResult ValidatePayload(TxBody body) =>
        body.PayloadField == PublishCrlPayload.Field ? CrlPublication.ValidatePayload(body)
        : Core.Governance.GovernanceVotePayload.IsGovernancePayload(body.PayloadField) ? Governance.ConsortiumGovernance.ValidatePayload(body)
        : chaincode.ValidatePayload(body);

    private AdmittedTx? VerifyEndorsements(Hash32 txId, ReadOnlyMemory<byte> bytes, TxEnvelope envelope, DateTimeOffset now, bool checkRevocation, out ValidationResult failure)
    {
        var body = envelope.Body;
        var listed = envelope.CheckEndorsersListed(hasher);
        if (!listed.IsValid)
        {
            failure = listed;
            return null;
        }
        var statement = chaincode.StatementFor(body, hasher);
        byte[]? statementMessage = null;
        CertificateRegistry.Resolved? submitter = null;
        var verified = new List<VerifiedEndorsement>(envelope.Endorsements.Count);
        var seen = new HashSet<(Hash32, EndorsementScope)>();

        foreach (var endorsement in envelope.Endorsements)
        {
            var resolution = endorsement.Certificate.IsEmpty
                ? certificates.ResolvePublicKey(endorsement.PublicKey.Span, out var signer)
                : certificates.ResolveCertificate(endorsement.Certificate.Span, now, checkRevocation, out signer);
            if (!resolution.IsValid)
            {
                failure = resolution;
                return null;
            }
            if (signer!.Identity.Role == Role.Operator)
            {
                // An operator's certificate authorises enrolments at the signer and the CA; it carries no authority on chain.
                failure = ValidationResult.Fail(ErrorCode.OperatorNotOnChain,
                    $"{signer.Identity.KeyId} is an Operator certificate: it enrols at the signer and signs nothing on chain (a bureau acts with its Bureau certificate)");
                return null;
            }
            if (!seen.Add((signer.Identity.KeyId, endorsement.Scope)))
            {
                failure = ValidationResult.Fail(ErrorCode.InvalidFieldValue, "the same key endorses the tx twice in the same scope");
                return null;
            }

            ReadOnlySpan<byte> message;
            if (endorsement.Scope == EndorsementScope.Body)
            {
                message = envelope.BodyBytes.Span;
            }
            else
            {
                if (statement is null)
                {
                    failure = ValidationResult.Fail(ErrorCode.InvalidFieldValue, "a statement endorsement on a payload that has no statement");
                    return null;
                }
                statementMessage ??= statement.SigningMessage();
                message = statementMessage;
            }
            var signature = signer.PublicKey.VerifyDetailed(message, endorsement.Signature.Span);
            if (!signature.IsValid && endorsement.Scope == EndorsementScope.Statement && signature.Code == ErrorCode.InvalidSignature)
            {
                // Well-formed, but not over this statement: the party signed another payload (a term, basis or date differs).
                failure = ValidationResult.Fail(ErrorCode.StatementMismatch,
                    $"the statement signature of key {signer.Identity.KeyId} does not cover this tx's statement ({statement}): the payload differs from what the party signed");
                return null;
            }
            if (!signature.IsValid)
            {
                failure = ValidationResult.Fail(signature.Code, $"endorsement by key {signer.Identity.KeyId}: {signature.Reason}");
                return null;
            }
            if (endorsement.Scope == EndorsementScope.Body && signer.Identity.CertificateId == body.Submitter) submitter = signer;
            verified.Add(new VerifiedEndorsement(signer.Identity, endorsement.Scope) { RevocationKeys = signer.RevocationKeys, Authorities = signer.Authorities });
        }

        if (submitter is null)
        {
            failure = ValidationResult.Fail(ErrorCode.MissingEndorsement, "no body signature by the submitter's certificate");
            return null;
        }
        failure = ValidationResult.Valid;
        return new AdmittedTx(txId, bytes, envelope, submitter.Identity, verified);
    }
}
