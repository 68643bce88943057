using Ledger.Core;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Client.Access;

/// <summary>Who signs a client's calls: a certificate of the consortium and its key.</summary>
public sealed record CallerIdentity
{
    public CallerIdentity(LedgerCertificate certificate, Sm2PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        if (certificate.PublicKey != key.PublicKey)
            throw new LedgerException(ErrorCode.InvalidPrivateKey, "the private key does not belong to the certificate");
        Certificate = certificate;
        Key = key;
    }

    public LedgerCertificate Certificate { get; }

    public Sm2PrivateKey Key { get; }

    /// <summary>Loads a PEM certificate and its key file.</summary>
    public static CallerIdentity Load(string certificatePem, string keyFile, string passphrase, KeyFileOptions? options = null) =>
        new(LedgerCertificate.FromPem(File.ReadAllText(certificatePem)), KeyFile.Load(keyFile, passphrase, options));
}
