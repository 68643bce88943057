using System.Collections.Concurrent;
using Ledger.Core.Caching;
using Ledger.Core;
using Ledger.Core.Identity;
using Org.BouncyCastle.Asn1.X509;

namespace Ledger.Crypto.Certificates;

/// <summary>
/// Decides whether a certificate was trustworthy at a given moment: a chain of SM3withSM2 signatures up to the
/// trusted root through the given intermediates, every link within its validity period at that moment, CA
/// flags, key usage and path lengths respected, each division inside its issuer's, and no link revoked on or
/// before that moment by a CRL its issuer signed.
/// <para>
/// Revocation is judged at <c>at</c>: a certificate revoked later than <c>at</c> was still good at <c>at</c>, so a
/// contract signed before a key was revoked keeps its proof. A CRL that names an issuer but does not verify
/// under that issuer's key fails validation (fail closed) rather than being ignored.
/// </para>
/// <para>
/// The signature chain depends only on the certificates, so it is cached by certificate Id (bounded); validity periods and
/// revocation are checked on every call. The CAs only ever grow (<see cref="Trust"/>: a city CA the chain's governance
/// added), so a chain once built stays right. Thread-safe.
/// </para>
/// </summary>
public sealed class CertificateChainValidator
{
    private const int MaxDepth = 8;
    private const int MaxCachedChains = 10_000;

    private readonly LedgerCertificate _root;
    private volatile LedgerCertificate[] _authorities;
    private readonly CertificateRevocationList[] _crls;
    private readonly LruCache<Hash32, LedgerCertificate[]> _chains = new(MaxCachedChains);
    private readonly ConcurrentDictionary<(int Crl, Hash32 Issuer), bool> _crlSignatures = new();

    public CertificateChainValidator(LedgerCertificate root, IEnumerable<LedgerCertificate> intermediates, IEnumerable<CertificateRevocationList> crls)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(intermediates);
        ArgumentNullException.ThrowIfNull(crls);
        if (root.Role != Role.RootCa || !root.IsCa)
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"{root.Subject} is not a root CA certificate");
        if (!root.IssuerName.AsSpan().SequenceEqual(root.SubjectName))
            throw new LedgerException(ErrorCode.UntrustedCertificate, $"{root.Subject} is not self-issued");
        var selfSignature = root.VerifySignature(root.PublicKey);
        if (!selfSignature.IsValid)
            throw new LedgerException(ErrorCode.InvalidCertificate, $"root certificate's self-signature does not verify: {selfSignature.Reason}");
        _root = root;
        _authorities = [root, .. intermediates];
        _crls = [.. crls];
    }

    public LedgerCertificate Root => _root;

    public ValidationResult Validate(LedgerCertificate certificate, DateTimeOffset at) => Validate(certificate, at, checkRevocation: true);

    /// <summary>
    /// The chain and validity periods, and revocation by this validator's CRLs only when asked: a block's txs are checked
    /// without them, because a node's own CRL files must never make it refuse what the chain certified.
    /// </summary>
    public ValidationResult Validate(LedgerCertificate certificate, DateTimeOffset at, bool checkRevocation)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var built = ChainOf(certificate, out var chain);
        if (!built.IsValid) return built;

        foreach (var link in chain!)
        {
            if (at < link.NotBefore)
                return ValidationResult.Fail(ErrorCode.CertificateNotYetValid, $"{Describe(link, certificate)} is not valid before {link.NotBefore:u}");
            if (at > link.NotAfter)
                return ValidationResult.Fail(ErrorCode.CertificateExpired, $"{Describe(link, certificate)} expired at {link.NotAfter:u}");
        }
        return checkRevocation ? CheckRevocation(certificate, at) : ValidationResult.Valid;
    }

    /// <summary>Whether any link of the certificate's chain was revoked on or before <paramref name="at"/> by this validator's CRLs.</summary>
    public ValidationResult CheckRevocation(LedgerCertificate certificate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var built = ChainOf(certificate, out var chain);
        if (!built.IsValid) return built;
        for (var i = 0; i < chain!.Length - 1; i++)
        {
            var revocation = CheckRevocation(chain[i], chain[i + 1], at);
            if (!revocation.IsValid) return revocation;
        }
        return ValidationResult.Valid;
    }

    /// <summary>The root and the intermediates this validator trusts (the CAs a CRL on chain may come from).</summary>
    public IReadOnlyList<LedgerCertificate> Authorities => _authorities;

    /// <summary>
    /// Trusts further CAs from now on (those the chain's governance added; whether one counts at a given height is the
    /// chain's business, not this validator's). Certificates already trusted are skipped.
    /// </summary>
    public void Trust(IEnumerable<LedgerCertificate> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        lock (_crlSignatures)
        {
            var current = _authorities;
            var added = authorities.Where(ca => !current.Any(known => known.Id == ca.Id)).DistinctBy(ca => ca.Id).ToArray();
            if (added.Length > 0) _authorities = [.. current, .. added];
        }
    }

    /// <summary>
    /// The certificate's chain, from the certificate itself up to the root (validity periods and revocation not judged), or
    /// why it has none.
    /// </summary>
    public ValidationResult TryGetChain(LedgerCertificate certificate, out IReadOnlyList<LedgerCertificate>? chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var built = ChainOf(certificate, out var links);
        chain = links;
        return built;
    }

    /// <summary>The ids of the CAs strictly between the certificate and the root (its city CA; none if the root issued it), or why it has no chain.</summary>
    public ValidationResult TryGetIssuers(LedgerCertificate certificate, out Hash32[] issuers)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var built = ChainOf(certificate, out var chain);
        issuers = built.IsValid && chain!.Length > 2 ? [.. chain[1..^1].Select(ca => ca.Id)] : [];
        return built;
    }

    private ValidationResult ChainOf(LedgerCertificate certificate, out LedgerCertificate[]? chain)
    {
        if (_chains.TryGetValue(certificate.Id, out chain)) return ValidationResult.Valid;
        var built = BuildChain(certificate, out chain);
        if (!built.IsValid) return built;
        _chains.Set(certificate.Id, chain!);
        return ValidationResult.Valid;
    }

    private ValidationResult BuildChain(LedgerCertificate certificate, out LedgerCertificate[]? chain)
    {
        chain = null;
        var links = new List<LedgerCertificate> { certificate };
        var current = certificate;
        while (!current.DerSpan.SequenceEqual(_root.DerSpan))
        {
            if (links.Count > MaxDepth)
                return ValidationResult.Fail(ErrorCode.UntrustedCertificate, $"no chain to the root within {MaxDepth} certificates");

            LedgerCertificate? issuer = null;
            var nameMatched = false;
            foreach (var candidate in _authorities)
            {
                if (!candidate.SubjectName.AsSpan().SequenceEqual(current.IssuerName)) continue;
                if (current.AuthorityKeyId is { } aki && candidate.SubjectKeyId is { } ski && !aki.AsSpan().SequenceEqual(ski)) continue;
                nameMatched = true;
                if (current.VerifySignature(candidate.PublicKey).IsValid)
                {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer is null)
                return nameMatched
                    ? ValidationResult.Fail(ErrorCode.InvalidCertificate, $"signature on {current.Subject} does not verify under its issuer's key (altered or forged)")
                    : ValidationResult.Fail(ErrorCode.UntrustedCertificate, $"issuer '{current.Issuer}' of {current.Subject} is not a trusted CA");
            if (links.Contains(issuer))
                return ValidationResult.Fail(ErrorCode.UntrustedCertificate, "certificate chain loops");
            if (!issuer.IsCa || !issuer.AllowsUsage(KeyUsage.KeyCertSign))
                return ValidationResult.Fail(ErrorCode.UntrustedCertificate, $"{issuer.Subject} is not allowed to issue certificates");
            if (issuer.Role is not (Role.RootCa or Role.IntermediateCa))
                return ValidationResult.Fail(ErrorCode.WrongCertificateRole, $"{issuer.Subject} has role {issuer.Role}, not a CA role");
            var intermediatesBelow = links.Count - 1;
            if (issuer.PathLength is { } pathLength && intermediatesBelow > pathLength)
                return ValidationResult.Fail(ErrorCode.UntrustedCertificate, $"{issuer.Subject} allows {pathLength} CA certificates below it, the chain has {intermediatesBelow}");
            if (current.Role == Role.Worker && issuer.Role != Role.IntermediateCa)
                return ValidationResult.Fail(ErrorCode.WrongCertificateRole, $"{current.Subject} is a Worker certificate not issued by a city CA");
            if (!issuer.Division.Contains(current.Division))
                return ValidationResult.Fail(ErrorCode.InvalidDivisionCode, $"{current.Subject} is for division {current.Division}, outside its issuer's {issuer.Division}");
            links.Add(issuer);
            current = issuer;
        }
        chain = [.. links];
        return ValidationResult.Valid;
    }

    private ValidationResult CheckRevocation(LedgerCertificate subject, LedgerCertificate issuer, DateTimeOffset at)
    {
        for (var i = 0; i < _crls.Length; i++)
        {
            var crl = _crls[i];
            if (!crl.IssuerName.AsSpan().SequenceEqual(subject.IssuerName)) continue;
            if (crl.AuthorityKeyId is { } aki && issuer.SubjectKeyId is { } ski && !aki.AsSpan().SequenceEqual(ski)) continue;
            var signedByIssuer = _crlSignatures.GetOrAdd((i, issuer.Id), _ => crl.VerifySignature(issuer.PublicKey).IsValid);
            if (!signedByIssuer)
                return ValidationResult.Fail(ErrorCode.InvalidCrl, $"a CRL naming {issuer.Subject} as issuer is not signed by it");
            if (crl.TryGetRevocation(subject.SerialNumberHex, out var revokedAt) && revokedAt <= at)
                return ValidationResult.Fail(ErrorCode.CertificateRevoked, $"{subject.Subject} (serial {subject.SerialNumberHex}) was revoked at {revokedAt:u}");
        }
        return ValidationResult.Valid;
    }

    private static string Describe(LedgerCertificate link, LedgerCertificate target) =>
        ReferenceEquals(link, target) ? $"certificate {link.Subject}" : $"{(link.Role == Role.RootCa ? "root" : "issuing")} CA certificate {link.Subject}";
}
