using System.Globalization;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger ca revoke</c>: a CA (the province's root or a city's) adds a certificate it issued to its revocation list.
/// The new CRL keeps every entry of the current one, is signed by the CA's key, and replaces the file atomically;
/// nodes read it from their config's <c>crls</c> when they start.
/// </summary>
public static class CaCommands
{
    public const int DefaultValidDays = 30;

    public static int Revoke(Arguments args, CliContext context)
    {
        var caCertificatePath = args.Required("ca-cert");
        var caKeyPath = args.Required("ca-key");
        var certificatePath = args.Required("cert");
        var currentPath = args.Optional("crl");
        var output = args.Required("out");
        var validDays = args.Int("valid-days", DefaultValidDays, 1, 3650);
        var allowWeak = args.Flag("allow-weak-kdf");
        var passphrase = context.Passphrase(args);
        args.EnsureAllRead();

        var caCertificate = LedgerCertificate.FromPem(ReadText(caCertificatePath, "CA certificate"));
        var certificate = LedgerCertificate.FromPem(ReadText(certificatePath, "certificate"));
        var issued = certificate.VerifyIssuedBy(caCertificate);
        if (!issued.IsValid) throw new UsageException($"{certificatePath}: {issued.Reason}");

        var revoked = new Dictionary<string, RevokedCertificate>(StringComparer.Ordinal);
        if (currentPath is not null)
        {
            // A mistyped --crl must not start a new list that silently drops earlier revocations.
            if (!File.Exists(currentPath)) throw new UsageException($"--crl {currentPath}: no such file (omit --crl for a CA's first list)");
            var current = CertificateRevocationList.FromPem(ReadText(currentPath, "CRL"));
            var ours = current.VerifyIssuedBy(caCertificate);
            if (!ours.IsValid) throw new UsageException($"{currentPath}: {ours.Reason}");
            foreach (var serial in current.RevokedSerialNumbers)
            {
                current.TryGetRevocation(serial, out var at);
                revoked[serial] = new RevokedCertificate(serial, at);
            }
        }
        var now = DateTimeOffset.UtcNow;
        var already = revoked.ContainsKey(certificate.SerialNumberHex);
        if (!already) revoked[certificate.SerialNumberHex] = RevokedCertificate.Of(certificate, now);

        using var caKey = KeyFile.Load(caKeyPath, passphrase, allowWeak ? KeyFileOptions.ForTests : null);
        if (caKey.PublicKey.Id != caCertificate.PublicKey.Id) throw new UsageException($"{caKeyPath} is not the key of {caCertificatePath}");
        var ca = CertificateAuthority.FromCertificate(caCertificate, caKey);
        var crl = ca.IssueCrl(revoked.Values.OrderBy(r => r.RevokedAt).ThenBy(r => r.SerialNumberHex, StringComparer.Ordinal), now, now.AddDays(validDays));

        var temporary = output + ".tmp";
        File.WriteAllText(temporary, crl.ToPem());
        File.Move(temporary, output, overwrite: true);

        context.Out.WriteLine(already
            ? $"{certificate.Subject} (serial {certificate.SerialNumberHex}) was already revoked; CRL re-issued"
            : $"revoked {certificate.Subject} (serial {certificate.SerialNumberHex})");
        context.Out.WriteLine($"{output}: {revoked.Count} revoked by {caCertificate.Subject}, next update {crl.NextUpdate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        context.Out.WriteLine("nodes apply it when started with it in their config's \"crls\"");
        return ExitCode.Ok;
    }

    private static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the {what} {path}: {e.Message}");
        }
    }
}
