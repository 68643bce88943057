using Ledger.Core.Caching;
using Ledger.Core;
using Ledger.Core.Crypto;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Chain.Admission;

/// <summary>
/// Turns the signer named by an endorsement — a certificate or a bare public key — into a
/// <see cref="SignerIdentity"/>. Certificates must chain to the consortium root of genesis and be valid and
/// unrevoked at the given time. Parsed certificates and keys are cached by id, so a busy employer's
/// certificate is parsed once; the chain check runs each time (it caches its own positive results).
/// </summary>
public sealed class CertificateRegistry(CertificateChainValidator chainValidator, IHasher hasher, int capacity = 65_536)
{
    private sealed record Entry(Sm2PublicKey PublicKey, LedgerCertificate? Certificate, SignerIdentity Identity)
    {
        public IReadOnlyList<byte[]>? RevocationKeys { get; set; }
        public IReadOnlyList<Hash32>? Authorities { get; set; }
    }

    private readonly LruCache<Hash32, Entry> _entries = new(capacity);

    /// <summary>
    /// A signer: its key, its identity, the state keys under which the chain would record its revocation (or a CA's above it),
    /// and the CAs between it and the root.
    /// </summary>
    public sealed record Resolved(Sm2PublicKey PublicKey, SignerIdentity Identity, IReadOnlyList<byte[]> RevocationKeys, IReadOnlyList<Hash32> Authorities);

    /// <summary>The CAs a CRL published on chain may come from.</summary>
    public IReadOnlyList<LedgerCertificate> Authorities => chainValidator.Authorities;

    public ValidationResult ResolveCertificate(ReadOnlySpan<byte> der, DateTimeOffset at, out Resolved? resolved) =>
        ResolveCertificate(der, at, checkRevocation: true, out resolved);

    /// <summary>As above; without <paramref name="checkRevocation"/> the node's CRL files are not consulted (a block's txs: see <see cref="CheckRevocation"/>).</summary>
    public ValidationResult ResolveCertificate(ReadOnlySpan<byte> der, DateTimeOffset at, bool checkRevocation, out Resolved? resolved)
    {
        resolved = null;
        var parsed = Parse(der, out var entry);
        if (!parsed.IsValid) return parsed;
        var chain = chainValidator.Validate(entry!.Certificate!, at, checkRevocation);
        if (!chain.IsValid) return chain;
        resolved = new Resolved(entry.PublicKey, entry.Identity, entry.RevocationKeys ??= RevocationKeysOf(entry.Certificate!), entry.Authorities ??= AuthoritiesOf(entry.Certificate!));
        return ValidationResult.Valid;
    }

    /// <summary>Every link of the certificate's chain below the root, keyed as a CRL of its issuer would revoke it.</summary>
    private byte[][] RevocationKeysOf(LedgerCertificate certificate)
    {
        var built = chainValidator.TryGetChain(certificate, out var chain);
        if (!built.IsValid) throw new LedgerException(built.Code, built.Reason ?? "no chain");
        var keys = new byte[chain!.Count - 1][];
        for (var i = 0; i < keys.Length; i++) keys[i] = Ledger.Core.Revocation.RevocationKeys.Revoked(chain[i + 1].Id, chain[i].SerialNumberBytes);
        return keys;
    }

    /// <summary>The CAs of the certificate's chain strictly between it and the root.</summary>
    private Hash32[] AuthoritiesOf(LedgerCertificate certificate)
    {
        var built = chainValidator.TryGetIssuers(certificate, out var issuers);
        return built.IsValid ? issuers : throw new LedgerException(built.Code, built.Reason ?? "no chain");
    }

    /// <summary>Whether the certificate (or a CA above it) was revoked on or before <paramref name="at"/> by a CRL this node was configured with.</summary>
    public ValidationResult CheckRevocation(ReadOnlySpan<byte> der, DateTimeOffset at)
    {
        var parsed = Parse(der, out var entry);
        return parsed.IsValid ? chainValidator.CheckRevocation(entry!.Certificate!, at) : parsed;
    }

    private ValidationResult Parse(ReadOnlySpan<byte> der, out Entry? parsed)
    {
        parsed = null;
        var id = hasher.Hash(der);
        if (!_entries.TryGetValue(id, out var entry))
        {
            LedgerCertificate certificate;
            try
            {
                certificate = LedgerCertificate.FromDer(der.ToArray());
            }
            catch (LedgerException e)
            {
                return e.ToResult();
            }
            entry = new Entry(certificate.PublicKey, certificate, certificate.ToSignerIdentity());
            Remember(id, entry);
        }
        parsed = entry;
        return ValidationResult.Valid;
    }

    /// <summary>
    /// A signer with a bare key: the key must be a valid SM2 point, and it carries no role (<see cref="Role.Unknown"/>) —
    /// a worker consents only with a Worker certificate of a city CA, which names the worker's pseudonym.
    /// </summary>
    public ValidationResult ResolvePublicKey(ReadOnlySpan<byte> publicKey, out Resolved? resolved)
    {
        resolved = null;
        var id = hasher.Hash(publicKey);
        if (!_entries.TryGetValue(id, out var entry))
        {
            if (!Sm2PublicKey.TryFromBytes(publicKey, out var key, out var error)) return error;
            entry = new Entry(key!, null, new SignerIdentity { KeyId = key!.Id, Role = Role.Unknown });
            Remember(id, entry);
        }
        resolved = new Resolved(entry.PublicKey, entry.Identity, [], []);
        return ValidationResult.Valid;
    }

    // Bounded: a flood of distinct certificates evicts the least recently used, never the busy ones.
    private void Remember(Hash32 id, Entry entry) => _entries.GetOrAdd(id, entry);
}
