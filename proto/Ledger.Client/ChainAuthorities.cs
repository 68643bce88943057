using Ledger.Crypto.Certificates;

namespace Ledger.Client;

/// <summary>A city CA the chain names, with the heights it counts for (<see cref="UntilHeight"/>: retired from there).</summary>
public sealed record ChainAuthority(LedgerCertificate Certificate, ulong FromHeight, ulong? UntilHeight)
{
    public bool CountsAt(ulong height) => FromHeight <= height && (UntilHeight is not { } until || height < until);
}

/// <summary>The chain's city CAs as a node reported them at <see cref="Height"/> (<c>GetAuthorities</c>).</summary>
public sealed record ChainAuthorities(ulong Height, IReadOnlyList<ChainAuthority> Authorities)
{
    /// <summary>
    /// What a relying party trusts for a certificate presented now: the CAs counting at the chain's next height, each
    /// certified by <paramref name="root"/> (genesis's) and valid at <paramref name="at"/> — a node cannot add a CA of its own
    /// making, only withhold one, and a retired CA is not trusted.
    /// </summary>
    public CertificateChainValidator TrustedAt(LedgerCertificate root, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(root);
        var rootOnly = new CertificateChainValidator(root, [], []);
        var counting = Authorities
            .Where(a => a.CountsAt(Height + 1) && a.Certificate.IsCa && rootOnly.Validate(a.Certificate, at, checkRevocation: false).IsValid)
            .Select(a => a.Certificate);
        return new CertificateChainValidator(root, counting, []);
    }
}
