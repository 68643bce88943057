using System.Security.Cryptography;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Client;

/// <summary>
/// Builds one labour-contract transaction (ARCHITECTURE §5): the parties' consents to the payload's
/// <see cref="ContractStatement"/> (statement v2: it binds SM3 of the complete payload, so every term, basis and date;
/// Statement-scope endorsements, made here with their keys or produced elsewhere, e.g. by a signer service), then the
/// body — chain id, a random 64-bit nonce, expiry = now + <see cref="Ttl"/>, the submitter's certificate id, and the
/// list of endorsements the envelope carries (so none can be stripped) — signed by the submitter (a Body-scope endorsement).
/// <code>
/// var envelope = new TransactionBuilder(chainId, payload)
///     .SignStatement(employerCertificate, employerKey)
///     .SignStatement(workerCertificate, workerKey)     // a Worker certificate of a city CA, naming the contract's worker pseudonym
///     .Build(submitterCertificate, submitterKey);
/// </code>
/// </summary>
public sealed class TransactionBuilder
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(10);

    private readonly List<Endorsement> _statementEndorsements = [];
    private readonly byte[] _statementMessage;
    private ulong? _nonce;

    public TransactionBuilder(string chainId, IContractPayload payload, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(chainId);
        ArgumentNullException.ThrowIfNull(payload);
        ChainId = chainId;
        Payload = payload;
        Clock = clock ?? TimeProvider.System;
        Statement = ContractPayloads.StatementFor(payload, chainId, Sm3Hasher.Instance);
        _statementMessage = Statement.SigningMessage();
    }

    public string ChainId { get; }

    public IContractPayload Payload { get; }

    public TimeProvider Clock { get; }

    /// <summary>How long the tx may wait to enter a block. Admission refuses an expiry too far ahead.</summary>
    public TimeSpan Ttl { get; set; } = DefaultTtl;

    /// <summary>What the parties consent to.</summary>
    public ContractStatement Statement { get; }

    /// <summary>The exact bytes a party signs (SM2, default signer ID) — hand these to an external signer.</summary>
    public ReadOnlySpan<byte> StatementSigningMessage => _statementMessage;

    public IReadOnlyList<Endorsement> StatementEndorsements => _statementEndorsements;

    /// <summary>Fixes the nonce instead of drawing one (replaying a tx on purpose, tests).</summary>
    public TransactionBuilder WithNonce(ulong nonce)
    {
        _nonce = nonce;
        return this;
    }

    public TransactionBuilder WithTtl(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        Ttl = ttl;
        return this;
    }

    /// <summary>A party signs the statement with its certificate: the employer's, or the worker's Worker certificate (bare keys carry no role).</summary>
    public TransactionBuilder SignStatement(LedgerCertificate certificate, Sm2PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        RequireKeyMatches(certificate.PublicKey, key);
        _statementEndorsements.Add(new Endorsement { Certificate = certificate.Der, Signature = key.Sign(_statementMessage), Scope = EndorsementScope.Statement });
        return this;
    }

    /// <summary>Attaches a statement signature produced elsewhere; it is checked here, so a wrong one fails early.</summary>
    public TransactionBuilder AddStatementSignature(LedgerCertificate certificate, ReadOnlyMemory<byte> signatureDer)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        RequireValid(certificate.PublicKey, signatureDer, certificate.Subject);
        _statementEndorsements.Add(new Endorsement { Certificate = certificate.Der, Signature = signatureDer.ToArray(), Scope = EndorsementScope.Statement });
        return this;
    }

    /// <summary>The body as it will be signed: a fresh nonce (unless fixed) and expiry on every call.</summary>
    public TxBody CreateBody(LedgerCertificate submitter)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        var expiresAt = Clock.GetUtcNow().Add(Ttl).ToUnixTimeMilliseconds();
        // The body lists every endorsement the envelope will carry, in order: the submitter's, then the statements.
        TxEndorser[] endorsers = [new(submitter.Id, EndorsementScope.Body), .. _statementEndorsements.Select(e => TxEndorser.Of(e, Sm3Hasher.Instance))];
        return ContractPayloads.CreateBody(Payload, ChainId, _nonce ?? RandomNonce(), expiresAt, submitter.Id, endorsers);
    }

    /// <summary>Signs the body as the submitter and returns the envelope: the Body endorsement first, then the statements.</summary>
    public TxEnvelope Build(LedgerCertificate submitter, Sm2PrivateKey submitterKey)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(submitterKey);
        RequireKeyMatches(submitter.PublicKey, submitterKey);
        var body = CreateBody(submitter);
        var bodyBytes = body.Encode();
        var submitterEndorsement = new Endorsement { Certificate = submitter.Der, Signature = submitterKey.Sign(bodyBytes), Scope = EndorsementScope.Body };
        return new TxEnvelope { BodyBytes = bodyBytes, Endorsements = [submitterEndorsement, .. _statementEndorsements] };
    }

    /// <summary>
    /// The envelope of a body only its submitter endorses (<see cref="TxBody.SubmitterOnly"/>): one Body signature by the
    /// submitter's key, under its certificate.
    /// </summary>
    public static TxEnvelope SignedBySubmitter(TxBody body, LedgerCertificate submitter, Sm2PrivateKey submitterKey)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(submitterKey);
        RequireKeyMatches(submitter.PublicKey, submitterKey);
        var bodyBytes = body.Encode();
        return new TxEnvelope
        {
            BodyBytes = bodyBytes,
            Endorsements = [new Endorsement { Certificate = submitter.Der, Signature = submitterKey.Sign(bodyBytes), Scope = EndorsementScope.Body }],
        };
    }

    /// <summary>A random nonce: with the submitter it makes a tx unique.</summary>
    public static ulong NewNonce() => RandomNonce();

    private static ulong RandomNonce()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    private static void RequireKeyMatches(Sm2PublicKey expected, Sm2PrivateKey key)
    {
        if (expected != key.PublicKey)
            throw new LedgerException(ErrorCode.InvalidPrivateKey, "the private key does not belong to the certificate");
    }

    private void RequireValid(Sm2PublicKey key, ReadOnlyMemory<byte> signatureDer, string signer)
    {
        var result = key.VerifyDetailed(_statementMessage, signatureDer.Span);
        if (!result.IsValid)
            throw new LedgerException(result.Code, $"statement signature of {signer} does not verify: {result.Reason}");
    }
}
