using Google.Protobuf;
using Ledger.Client.Signer;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Signer.Access;
using Microsoft.Extensions.Logging;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Signer.Ca;

/// <summary>
/// The city CA, without gRPC: it certifies a holder key only when a named operator of this city authorised exactly this
/// enrolment, and checks that itself, trusting nothing the signer says. In order: an authorisation is there and decodes;
/// the operator's signature verifies under the operator certificate's key (<see cref="ErrorCode.EnrolmentSignatureInvalid"/>);
/// the certificate is one of this city's operators now (<see cref="OperatorTrust"/>: issued by this CA, valid, unrevoked)
/// and its role is Operator; the time is within the window (<see cref="ErrorCode.EnrolmentAuthorisationExpired"/>); the
/// city is this CA's (<see cref="ErrorCode.EnrolmentWrongCity"/>); the kind and the subject hash match the enrolment asked
/// for (<see cref="ErrorCode.EnrolmentMismatch"/>); neither the operator's nonce nor the holder key was used before
/// (<see cref="ErrorCode.EnrolmentAuthorisationReplayed"/>). Then a worker's pseudonym is computed from the ID number
/// (HMAC-SM3 under the province's key; the number is dropped) and the certificate issued and logged. Every refusal is a
/// <see cref="LedgerException"/> with its code. Issuance is serialised. Thread-safe.
/// </summary>
public sealed class EnrolmentCa : IEnrolmentCa, IDisposable
{
    private readonly CertificateAuthority _ca;
    private readonly Sm2PrivateKey _key;
    private readonly OperatorTrust _trust;
    private readonly byte[]? _pseudonymKey;
    private readonly IssuanceLog _log;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _window;
    private readonly int _certificateYears;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    private EnrolmentCa(CertificateAuthority ca, Sm2PrivateKey key, OperatorTrust trust, byte[]? pseudonymKey, IssuanceLog log, TimeProvider clock, TimeSpan window,
        int certificateYears, ILogger logger)
    {
        _ca = ca;
        _key = key;
        _trust = trust;
        _pseudonymKey = pseudonymKey;
        _log = log;
        _clock = clock;
        _window = window;
        _certificateYears = certificateYears;
        _logger = logger;
    }

    public LedgerCertificate Certificate => _ca.Certificate;

    /// <summary>Certificates issued so far (the issuance log's length).</summary>
    public int Issued
    {
        get
        {
            lock (_gate) return _log.Count;
        }
    }

    /// <summary>Loads the CA key (under the config's passphrase), the pseudonym key and the CRLs, and opens the issuance log.</summary>
    public static EnrolmentCa Open(CaConfig config, TimeProvider? clock = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var certificate = LedgerCertificate.FromPem(File.ReadAllText(config.Resolve(config.CaCertificate)));
        var key = KeyFile.Load(config.Resolve(config.CaKey), config.ReadPassphrase(), config.KeyFileOptions);
        try
        {
            var ca = CertificateAuthority.FromCertificate(certificate, key);
            var trust = new OperatorTrust(certificate, config.ReadCrls());
            var data = config.Resolve(config.DataDir);
            Directory.CreateDirectory(data);
            var log = IssuanceLog.Open(Path.Combine(data, "issued.log"));
            return new EnrolmentCa(ca, key, trust, config.ReadPseudonymKey(), log, clock ?? TimeProvider.System, TimeSpan.FromSeconds(config.AuthorisationSeconds),
                config.CertificateYears, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public Task<LedgerCertificate> IssueAsync(EnrolmentOrder order, CancellationToken cancellationToken) => Task.FromResult(Issue(order));

    public LedgerCertificate Issue(EnrolmentOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Authorisation.Length == 0 || order.OperatorCertificate.Length == 0 || order.Signature.Length == 0)
            throw new LedgerException(ErrorCode.EnrolmentAuthorisationMissing, "an enrolment is certified only with an operator's signed authorisation of it");
        Rpc.EnrolmentAuthorisation authorisation;
        LedgerCertificate operatorCertificate;
        Sm2PublicKey holderKey;
        try
        {
            authorisation = Rpc.EnrolmentAuthorisation.Parser.ParseFrom(order.Authorisation);
            operatorCertificate = LedgerCertificate.FromDer(order.OperatorCertificate);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or LedgerException)
        {
            throw new LedgerException(ErrorCode.EnrolmentAuthorisationMalformed, $"the authorisation or the operator certificate does not decode: {e.Message}");
        }
        if (authorisation.Nonce.Length != EnrolmentAuthorisations.NonceSize || authorisation.SubjectHash.Length != Hash32.Size
            || !Sm2PublicKey.TryFromBytes(authorisation.HolderPublicKey.Span, out var parsedKey, out _))
            throw new LedgerException(ErrorCode.EnrolmentAuthorisationMalformed,
                $"an authorisation has a {EnrolmentAuthorisations.NonceSize}-byte nonce, a 32-byte subject hash and a 65-byte SM2 holder key");
        holderKey = parsedKey!;

        // The signature first: nothing else about a forgery is worth telling.
        if (!operatorCertificate.PublicKey.Verify(EnrolmentAuthorisations.SigningMessage(order.Authorisation), order.Signature))
            throw new LedgerException(ErrorCode.EnrolmentSignatureInvalid, "the authorisation's signature does not verify under the operator certificate's key");
        var now = _clock.GetUtcNow();
        var trusted = _trust.Check(operatorCertificate, now);
        if (!trusted.IsValid) throw new LedgerException(trusted.Code, $"operator certificate: {trusted.Reason}");
        if (operatorCertificate.Role != Role.Operator)
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"an enrolment is authorised by an Operator certificate; {operatorCertificate.CommonName} is a {operatorCertificate.Role} certificate");
        var skew = Math.Abs(now.ToUnixTimeMilliseconds() - authorisation.Time);
        if (skew > _window.TotalMilliseconds)
            throw new LedgerException(ErrorCode.EnrolmentAuthorisationExpired,
                $"the authorisation is dated {skew / 1000} s from this CA's clock; it is accepted within {_window.TotalSeconds:0} s");
        if (authorisation.City != _ca.Certificate.Division.Value)
            throw new LedgerException(ErrorCode.EnrolmentWrongCity, $"the authorisation is for city {authorisation.City}; this CA is {_ca.Certificate.Division.Value}");

        var (subject, role) = authorisation.Kind switch
        {
            Rpc.HolderKind.Person => (EnrolmentAuthorisations.PersonSubject(order.IdNumber ?? ""), Role.Worker),
            Rpc.HolderKind.Organisation => (EnrolmentAuthorisations.OrganisationSubject(order.CreditCode ?? "", order.OrganisationName ?? ""), Role.Employer),
            _ => throw new LedgerException(ErrorCode.EnrolmentAuthorisationMalformed, "the authorisation's kind is person or organisation"),
        };
        if (authorisation.Kind == Rpc.HolderKind.Person && (!string.IsNullOrEmpty(order.CreditCode) || !string.IsNullOrEmpty(order.OrganisationName)))
            throw new LedgerException(ErrorCode.EnrolmentMismatch, "a person's enrolment carries no credit code or organisation name");
        if (authorisation.Kind == Rpc.HolderKind.Organisation && !string.IsNullOrEmpty(order.IdNumber))
            throw new LedgerException(ErrorCode.EnrolmentMismatch, "an organisation's enrolment carries no ID number");
        if (!subject.ToArray().AsSpan().SequenceEqual(authorisation.SubjectHash.Span))
            throw new LedgerException(ErrorCode.EnrolmentMismatch,
                authorisation.Kind == Rpc.HolderKind.Person ? "the ID number is not the one the operator authorised" : "the credit code or name is not the one the operator authorised");

        var notAfter = now.AddYears(_certificateYears);
        CertificateRequest request;
        if (authorisation.Kind == Rpc.HolderKind.Person)
        {
            if (_pseudonymKey is null) throw new LedgerException(ErrorCode.NotAuthorised, "this CA holds no pseudonym key and enrols no workers");
            // No personal data in the certificate: the subject and the identity extension carry the pseudonym only.
            var pseudonym = WorkerPseudonym.Compute(_pseudonymKey, order.IdNumber!);
            request = new CertificateRequest($"worker {pseudonym.ToHex()[..32]}", role, _ca.Certificate.Division, holderKey, now.AddHours(-1), notAfter, null, pseudonym);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(order.OrganisationName)) throw new LedgerException(ErrorCode.MissingField, "an organisation needs its name");
            if (!CreditCode.TryParse(order.CreditCode ?? "", out var code))
                throw new LedgerException(ErrorCode.InvalidCreditCode, "an organisation needs a valid 18-character unified social credit code");
            request = new CertificateRequest(order.OrganisationName, role, _ca.Certificate.Division, holderKey, now.AddHours(-1), notAfter, code);
        }

        var keyHex = Convert.ToHexStringLower(authorisation.HolderPublicKey.Span);
        lock (_gate)
        {
            if (_log.NonceUsed(operatorCertificate.Id, authorisation.Nonce.Span))
                throw new LedgerException(ErrorCode.EnrolmentAuthorisationReplayed, "this operator's authorisation was already used (its nonce is spent)");
            if (_log.KeyIssued(keyHex))
                throw new LedgerException(ErrorCode.EnrolmentAuthorisationReplayed, "this holder key is already certified");
            var certificate = _ca.Issue(request);
            _log.Append(now, certificate.SerialNumberHex, role.ToString(), keyHex, operatorCertificate.Id, authorisation.Nonce.Span);
            _logger.LogInformation("issued {Role} certificate serial {Serial} for key {HolderId}, authorised by operator {Operator} ({OperatorId})",
                role, certificate.SerialNumberHex, holderKey.Id, operatorCertificate.CommonName, operatorCertificate.Id);
            return certificate;
        }
    }

    public void Dispose()
    {
        _log.Dispose();
        _key.Dispose();
        if (_pseudonymKey is not null) Array.Clear(_pseudonymKey);
    }
}
