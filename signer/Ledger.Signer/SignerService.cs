using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Audit;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Access;
using Ledger.Signer.Audit;
using Ledger.Signer.Ca;
using Ledger.Signer.Intent;
using Ledger.Signer.Keys;
using Microsoft.Extensions.Logging;

namespace Ledger.Signer;

/// <summary>
/// The signer's domain, without gRPC: enrolment, one-time challenges, confirmation with the PIN, verification,
/// certificates, the audit trail and its anchors. Every refusal is a <see cref="LedgerException"/> with its
/// <see cref="ErrorCode"/>, and every signature step leaves an audit record. A holder's key exists in clear only
/// inside <see cref="ConfirmSignature"/>, for one signature, and is disposed (its scalar zeroed) right after.
/// </summary>
public sealed class SignerService : IDisposable
{
    public const int MinPinLength = 6;
    public const int MaxPinLength = 128;
    public const int MaxListLimit = 1000;

    private readonly SignerConfig _config;
    private readonly LedgerCertificate _caCertificate;
    private readonly IEnrolmentCa _enrolmentCa;
    private readonly IDisposable? _ownedCa;
    private readonly PendingEnrolments _pending;
    private readonly HolderKeyStore _keys;
    private readonly LockoutStore _lockouts;
    private readonly ChallengeStore _challenges;
    private readonly AuditLog _audit;
    private readonly AnchorLog _anchors;
    private readonly IAnchorLedger? _ledger;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly OperatorAuthenticator _operators;
    private readonly ConcurrentDictionary<string, object> _holderGates = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _anchorGate = new(1, 1);

    private SignerService(SignerConfig config, LedgerCertificate caCertificate, IEnrolmentCa enrolmentCa, IDisposable? ownedCa, byte[] kek, IAnchorLedger? ledger,
        TimeProvider clock, ILogger logger)
    {
        _config = config;
        _caCertificate = caCertificate;
        _enrolmentCa = enrolmentCa;
        _ownedCa = ownedCa;
        _clock = clock;
        _logger = logger;
        _ledger = ledger;
        var data = config.Resolve(config.DataDir);
        Directory.CreateDirectory(data);
        _keys = new HolderKeyStore(data, kek, config.KeyFileOptions);
        _lockouts = new LockoutStore(data, kek);
        _challenges = new ChallengeStore(clock, TimeSpan.FromSeconds(config.ChallengeSeconds));
        _pending = new PendingEnrolments(clock, TimeSpan.FromSeconds(config.ChallengeSeconds));
        _audit = AuditLog.Open(Path.Combine(data, "audit.log"), clock);
        _anchors = new AnchorLog(Path.Combine(data, "anchors.log"));
        _operators = new OperatorAuthenticator(caCertificate, config.ReadCrls(), config.ReadServiceCertificate(), clock);
    }

    public SignerMetrics Metrics { get; } = new();

    public string ChainId => _config.ChainId;

    public LedgerCertificate CaCertificate => _caCertificate;

    public ulong AuditHead => _audit.HeadSequence;

    public ulong AnchoredHead => _anchors.Latest()?.Sequence ?? 0;

    /// <summary>
    /// Opens the data directory and reads the secrets the config names. Certificates come from <paramref name="enrolmentCa"/>
    /// when given (tests), else from the CA process at <see cref="SignerConfig.CaUrl"/> over mutual TLS: the signer holds no CA key.
    /// </summary>
    public static SignerService Open(SignerConfig config, IAnchorLedger? ledger = null, TimeProvider? clock = null, ILogger? logger = null, IEnrolmentCa? enrolmentCa = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var kek = config.ReadKek();
        IDisposable? owned = null;
        try
        {
            var caCertificate = LedgerCertificate.FromPem(File.ReadAllText(config.Resolve(config.CaCertificate)));
            if (enrolmentCa is null)
            {
                var client = ConnectCa(config);
                owned = client;
                enrolmentCa = client;
            }
            return new SignerService(config, caCertificate, enrolmentCa, owned, kek, ledger, clock ?? TimeProvider.System,
                logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
        finally
        {
            Array.Clear(kek);
        }
    }

    private static EnrolmentCaClient ConnectCa(SignerConfig config)
    {
        if (config.Insecure == true) return new EnrolmentCaClient(config.CaUrl!.Replace("https://", "http://", StringComparison.Ordinal), null, null);
        var transportCa = config.TransportCa is null
            ? throw new LedgerException(ErrorCode.MissingField, "signer config: transportCa is required to reach the CA process over mutual TLS")
            : Crypto.Transport.TransportTrust.Load(config.Resolve(config.TransportCa));
        var certificate = Crypto.Transport.TransportCredentials.Load(config.Resolve(config.TlsCertificate!), config.Resolve(config.TlsKey!));
        return new EnrolmentCaClient(config.CaUrl!, transportCa, certificate);
    }

    public sealed record Enrolment(Holder Holder);

    /// <summary>A key created for an enrolment, waiting for its operator's authorisation: its public key, the city to authorise it in, until when.</summary>
    public sealed record PendingEnrolment(Sm2PublicKey PublicKey, string City, DateTimeOffset ExpiresAt);

    /// <summary>
    /// The bureau operator who signed a call (<see cref="OperatorAuthenticator"/>), or a refusal: unsigned is
    /// <see cref="ErrorCode.NotAuthorised"/>, credentials that do not check a <see cref="CallRefusedException"/>. Refusals
    /// are counted and logged (the caller's certificate is not named: it proved nothing).
    /// </summary>
    public Operator AuthoriseOperator(string method, ReadOnlySpan<byte> request, SignedCallCredentials? credentials, string what, string client)
    {
        try
        {
            return _operators.Authorise(method, request, credentials, what);
        }
        catch (LedgerException e)
        {
            Metrics.Refused(e.Code);
            _logger.LogWarning("refused an operator call {Method} from {Client}: {Code}", method, client, e.Code);
            throw;
        }
    }

    /// <summary>
    /// Step 1 of an enrolment, on <paramref name="byOperator"/>'s call: a new key for a person or an organisation, kept in
    /// memory (<see cref="SignerConfig.ChallengeSeconds"/>) until the operator authorises exactly this key.
    /// </summary>
    public PendingEnrolment BeginEnrolment(HolderKind kind, Operator byOperator)
    {
        ArgumentNullException.ThrowIfNull(byOperator);
        if (kind is not (HolderKind.Person or HolderKind.Organisation))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "kind must be person or organisation");
        var (publicKey, expiresAt) = _pending.Create(kind);
        return new PendingEnrolment(publicKey, _caCertificate.Division.Value, expiresAt);
    }

    /// <summary>
    /// Step 2: the pending key the operator's <paramref name="authorisation"/> names, certified by the city's CA process
    /// (which checks the authorisation itself — this signer holds no CA key) and then stored under the holder's PIN. A person
    /// is certified as a Worker naming the stable pseudonym the CA computes from the ID number (the number goes to the CA
    /// only, never stored, logged or certified); an organisation as an Employer with its credit code. The authorisation must
    /// be signed by the operator who signed this call, whom the audit record names. The PIN never leaves this process.
    /// </summary>
    public async Task<Enrolment> EnrolAsync(HolderKind kind, string pin, string? idNumber, string? organisationName, string? creditCode, EnrolmentOrder authorisation,
        string client, Operator byOperator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(byOperator);
        ArgumentNullException.ThrowIfNull(authorisation);
        RequirePin(pin);
        if (authorisation.Authorisation.Length == 0 || authorisation.OperatorCertificate.Length == 0)
            throw new LedgerException(ErrorCode.EnrolmentAuthorisationMissing, "an enrolment carries the operator's signed authorisation of it (BeginEnrolment, then sign)");
        if (!authorisation.OperatorCertificate.AsSpan().SequenceEqual(byOperator.Certificate.Der))
            throw new LedgerException(ErrorCode.NotAuthorised, "the authorisation is signed by another operator than the one calling: each operator enrols on their own authority");
        if (kind == HolderKind.Person && (!string.IsNullOrEmpty(organisationName) || !string.IsNullOrEmpty(creditCode)))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "a person is enrolled without organisation name or credit code");
        if (kind == HolderKind.Person && string.IsNullOrEmpty(idNumber))
            throw new LedgerException(ErrorCode.MissingField, "a person is enrolled with their resident identity number (the CA uses it only to compute the pseudonym)");
        if (kind == HolderKind.Organisation && !string.IsNullOrEmpty(idNumber))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "an organisation is enrolled without an ID number");
        if (kind is not (HolderKind.Person or HolderKind.Organisation))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "kind must be person or organisation");
        Proto.V1.EnrolmentAuthorisation decoded;
        try
        {
            decoded = Proto.V1.EnrolmentAuthorisation.Parser.ParseFrom(authorisation.Authorisation);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new LedgerException(ErrorCode.EnrolmentAuthorisationMalformed, $"the authorisation does not decode: {e.Message}");
        }
        using var key = _pending.Take(decoded.HolderPublicKey.Span, kind);
        var certificate = await _enrolmentCa.IssueAsync(authorisation with { IdNumber = idNumber, OrganisationName = organisationName, CreditCode = creditCode }, cancellationToken)
            .ConfigureAwait(false);
        // What came back must be this city CA's certificate for this very key, in the role asked for.
        var expectedRole = kind == HolderKind.Person ? Role.Worker : Role.Employer;
        if (certificate.PublicKey != key.PublicKey || certificate.Role != expectedRole || !certificate.VerifyIssuedBy(_caCertificate).IsValid)
            throw new LedgerException(ErrorCode.InvalidCertificate, "the CA process answered a certificate that is not this city CA's for the pending key in the role asked for");
        var holder = new Holder(key.PublicKey.Id.ToHex(), kind, certificate);
        _keys.Save(holder, key, pin);
        _audit.Append(AuditEventKind.Enrolled, holder.KeyId, null, null, client, ErrorCode.Ok, byOperator);
        Metrics.Enrolled();
        _logger.LogInformation("enrolled holder {HolderId} as {Role}, authorised by operator {Operator}", holder.Id, certificate.Role, byOperator);
        return new Enrolment(holder);
    }

    public Holder GetHolder(string holderId) => _keys.Get(HolderKeyStore.RequireId(holderId));

    /// <summary>A one-time challenge for one payload of this chain, for one holder, with the statement text to show.</summary>
    public Challenge RequestSignature(string holderId, PayloadToSign payload, string client)
    {
        var holder = GetHolder(holderId);
        RequirePayload(payload);
        var challenge = _challenges.Issue(holder.Id, payload);
        _audit.Append(AuditEventKind.SignatureRequested, holder.KeyId, challenge.StatementHash, challenge.Id, client, ErrorCode.Ok);
        Metrics.ChallengeIssued();
        return challenge;
    }

    public sealed record Confirmation(byte[] Signature, LedgerCertificate Certificate, Hash32 StatementHash, ulong AuditSequence);

    /// <summary>
    /// The holder confirms the challenged statement with the PIN. Refusals, in the order checked: unknown, reused or
    /// expired challenge; a challenge of another holder or for another statement (consumes it); a locked key; a
    /// wrong PIN (does not consume the challenge, counts towards the lock). Each refusal is audited.
    /// </summary>
    public Confirmation ConfirmSignature(string holderId, ReadOnlySpan<byte> challengeId, string pin, PayloadToSign payload, string client)
    {
        HolderKeyStore.RequireId(holderId);
        var challengeBytes = challengeId.ToArray();
        Holder? holder = null;
        Challenge? challenge = null;
        try
        {
            holder = _keys.Get(holderId);
            challenge = _challenges.Find(challengeId);
            if (challenge.HolderId != holderId || !challenge.SigningMessage.AsSpan().SequenceEqual(payload.SigningMessage()))
            {
                challenge.TryConsume();
                throw new LedgerException(ErrorCode.ChallengeMismatch, "the challenge was issued for another holder or another statement");
            }
            var confirmedChallenge = challenge;
            var (signature, record) = WithUnlockedKey(holder, pin, key =>
            {
                if (!confirmedChallenge.TryConsume())
                    throw new LedgerException(ErrorCode.ChallengeReused, "this challenge was already used");
                var signature = key.Sign(confirmedChallenge.SigningMessage);
                var record = _audit.Append(AuditEventKind.SignatureConfirmed, holder.KeyId, confirmedChallenge.StatementHash, confirmedChallenge.Id, client, ErrorCode.Ok);
                return (signature, record);
            });
            Metrics.Confirmed();
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("holder {HolderId} confirmed challenge {ChallengeId} (audit {Sequence})", holderId, challenge.IdHex, record.Sequence);
            return new Confirmation(signature, holder.Certificate, challenge.StatementHash, record.Sequence);
        }
        catch (LedgerException e) when (e.Code != ErrorCode.KeyStoreTampered && e.Code != ErrorCode.HolderNotFound)
        {
            Metrics.Refused(e.Code);
            _audit.Append(AuditEventKind.ConfirmationRefused, holder?.KeyId, challenge?.StatementHash, challengeBytes, client, e.Code);
            _logger.LogWarning("refused a confirmation for holder {HolderId}: {Code}", holderId, e.Code);
            throw;
        }
    }

    /// <summary>Checks a statement signature against a certificate; whether this signer's CA issued it is reported beside.</summary>
    public (ValidationResult Result, bool IssuedHere) Verify(ContractStatement statement, ReadOnlySpan<byte> signature, LedgerCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var result = certificate.PublicKey.VerifyDetailed(statement.SigningMessage(), signature);
        var now = _clock.GetUtcNow();
        var issuedHere = certificate.VerifyIssuedBy(_caCertificate).IsValid && now >= certificate.NotBefore && now <= certificate.NotAfter;
        return (result, issuedHere);
    }

    /// <summary>A holder's own audit records; the PIN proves it is them (and a wrong one counts towards the lock).</summary>
    public (IReadOnlyList<AuditRecord> Records, AuditChainCheck Check) ListForHolder(string holderId, string pin, ulong fromSequence, int limit)
    {
        var holder = GetHolder(holderId);
        WithUnlockedKey(holder, pin, _ => 0);
        var keyId = holder.KeyId;
        return (_audit.Read(fromSequence, ClampLimit(limit), r => r.HolderKeyId == keyId), _audit.Verify());
    }

    /// <summary>
    /// Every audit record for the bureau's operator, with the chain check and the latest anchor read back from the ledger.
    /// The read is itself audited (<see cref="AuditEventKind.BureauListed"/>, naming the operator) before the answer.
    /// </summary>
    public async Task<(IReadOnlyList<AuditRecord> Records, AuditChainCheck Check)> ListForBureauAsync(Operator byOperator, ulong fromSequence, int limit, string client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(byOperator);
        _audit.Append(AuditEventKind.BureauListed, null, null, null, client, ErrorCode.Ok, byOperator);
        return (_audit.Read(fromSequence, ClampLimit(limit)), await CheckAuditAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The chain check of the log on disk, and the latest anchor compared with it.</summary>
    public async Task<AuditChainCheck> CheckAuditAsync(CancellationToken cancellationToken)
    {
        var check = _audit.Verify();
        var anchor = _anchors.Latest();
        if (anchor is null || _ledger is null) return check;
        var onChain = await _ledger.ReadAnchorAsync(anchor.TxId, cancellationToken).ConfigureAwait(false);
        if (onChain is null) return check with { Reason = check.Reason + (check.Reason.Length > 0 ? "; " : "") + $"anchor tx {anchor.TxId} not found on the ledger" };
        var atSequence = _audit.Read(onChain.Sequence, 1).FirstOrDefault(r => r.Sequence == onChain.Sequence);
        var matches = atSequence is not null && atSequence.Hash == onChain.HeadHash && AuditLog.Verify(_audit.Path, onChain.Sequence) is { Intact: true } prefix
            && prefix.HeadSequence >= onChain.Sequence;
        // The prefix up to the anchored record must also chain: recheck it on its own when the whole log does not.
        return check with
        {
            Anchored = true,
            AnchoredSequence = onChain.Sequence,
            AnchoredHash = onChain.HeadHash,
            AnchorTxId = anchor.TxId,
            AnchorMatches = matches,
            Reason = matches ? check.Reason : $"{check.Reason}{(check.Reason.Length > 0 ? "; " : "")}the log's record {onChain.Sequence} does not have the hash anchored on the ledger in tx {anchor.TxId}",
        };
    }

    /// <summary>Anchors the current head if it moved since the last anchor; false if there was nothing to do.</summary>
    public async Task<bool> AnchorOnceAsync(CancellationToken cancellationToken)
    {
        if (_ledger is null) return false;
        await _anchorGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = _audit.HeadSequence;
            var head = _audit.HeadHash;
            if (sequence == 0 || sequence <= AnchoredHead) return false;
            var (txId, height) = await _ledger.AnchorAsync(new AuditAnchorPayload { Sequence = sequence, HeadHash = head }, cancellationToken).ConfigureAwait(false);
            _anchors.Add(new AnchorLog.Entry(sequence, head, txId, height));
            Metrics.Anchored();
            _logger.LogInformation("anchored audit head {Sequence} in tx {TxId} at height {Height}", sequence, txId, height);
            return true;
        }
        finally
        {
            _anchorGate.Release();
        }
    }

    public void Dispose()
    {
        _audit.Dispose();
        _pending.Dispose();
        _ownedCa?.Dispose();
        _anchorGate.Dispose();
    }

    /// <summary>Runs <paramref name="use"/> with the holder's key, under the holder's lockout rules; the key is disposed after.</summary>
    private T WithUnlockedKey<T>(Holder holder, string pin, Func<Sm2PrivateKey, T> use)
    {
        if (string.IsNullOrEmpty(pin) || pin.Length > MaxPinLength)
            throw new LedgerException(ErrorCode.WrongPin, "wrong PIN");
        lock (_holderGates.GetOrAdd(holder.Id, _ => new object()))
        {
            var nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var state = _lockouts.Read(holder.Id);
            if (state.IsLocked(nowMs))
                throw new KeyLockedException(TimeSpan.FromMilliseconds(state.LockedUntilMs - nowMs));
            Sm2PrivateKey key;
            try
            {
                key = _keys.Unlock(holder.Id, pin);
            }
            catch (LedgerException e) when (e.Code == ErrorCode.WrongPin)
            {
                var failures = state.Failures + 1;
                if (failures >= _config.MaxFailedPins)
                {
                    // Each lock since the last right PIN lasts twice the one before, up to MaxLockoutSeconds.
                    var locks = state.Locks + 1;
                    var period = LockoutPeriod(locks);
                    _lockouts.Write(holder.Id, new LockoutStore.State(0, nowMs + (long)period.TotalMilliseconds, locks));
                    _logger.LogWarning("holder {HolderId}: {Failures} wrong PINs, key locked for {Period} (lock {Locks} since the last right PIN)",
                        holder.Id, failures, period, locks);
                    throw new KeyLockedException(period);
                }
                _lockouts.Write(holder.Id, new LockoutStore.State(failures, 0, state.Locks));
                throw;
            }
            using (key)
            {
                if (state != default) _lockouts.Write(holder.Id, default);
                return use(key);
            }
        }
    }

    /// <summary>The <paramref name="locks"/>-th lock since the last right PIN: LockoutSeconds, doubling each time, at most MaxLockoutSeconds.</summary>
    private TimeSpan LockoutPeriod(int locks)
    {
        var seconds = (double)_config.LockoutSeconds * Math.Pow(2, Math.Min(locks - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, _config.MaxLockoutSeconds));
    }

    private void RequirePayload(PayloadToSign payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.ChainId != _config.ChainId)
            throw new LedgerException(ErrorCode.WrongChainId, $"the payload is for chain '{payload.ChainId}', this signer serves '{_config.ChainId}'");
        if (string.IsNullOrWhiteSpace(payload.Payload.ContractId) || Encoding.UTF8.GetByteCount(payload.Payload.ContractId) > 128)
            throw new LedgerException(ErrorCode.InvalidContractId, "a contract id is 1..128 bytes");
    }

    private static void RequirePin(string pin)
    {
        if (pin is null || pin.Length < MinPinLength || pin.Length > MaxPinLength)
            throw new LedgerException(ErrorCode.WeakPin, $"a PIN or passphrase is {MinPinLength}..{MaxPinLength} characters");
        if (pin.Distinct().Count() == 1)
            throw new LedgerException(ErrorCode.WeakPin, "a PIN of one repeated character is too weak");
    }

    private static int ClampLimit(int limit) => limit <= 0 ? 100 : Math.Min(limit, MaxListLimit);
}
