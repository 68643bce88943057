using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ledger.Core;

namespace Ledger.Crypto.Transport;

/// <summary>A service's TLS certificate and its private key: written by <c>network init</c>, loaded by the hosts.</summary>
public static class TransportCredentials
{
    /// <summary>Writes a leaf certificate (PEM) and its unencrypted PKCS#8 key (mode 0600, like every key we write).</summary>
    public static void Save(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the certificate has no private key");
        WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>
    /// Loads a certificate and its key. A key file that group or others may read is refused, as ssh refuses one:
    /// whoever reads it can impersonate the service to every client.
    /// </summary>
    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath)) throw new LedgerException(ErrorCode.MissingField, $"no such TLS certificate: {certificatePath}");
        if (!File.Exists(keyPath)) throw new LedgerException(ErrorCode.MissingField, $"no such TLS key: {keyPath}");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            throw new LedgerException(ErrorCode.WeakKeyFileProtection, $"TLS key {keyPath} is readable by group or others; chmod 600 it");
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return TransportCertificateAuthority.Reimport(certificate);
        }
        catch (CryptographicException e)
        {
            throw new LedgerException(ErrorCode.InvalidPrivateKey, $"cannot load the TLS certificate {certificatePath} with key {keyPath}: {e.Message}", e);
        }
    }

    /// <summary>Creates a file only the owner can read and write (0600); refuses to overwrite.</summary>
    public static void WritePrivate(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }
}
