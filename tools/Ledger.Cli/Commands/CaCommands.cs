using System.CommandLine;
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

    public static IEnumerable<Command> Commands(CliContext context)
    {
        var caCert = CliOptions.Required("--ca-cert", "PEM", "the CA's certificate (root or city)");
        var caKey = CliOptions.Required("--ca-key", "KEYFILE", "the CA's key file");
        var cert = CliOptions.Required("--cert", "PEM", "the certificate to revoke, issued by that CA");
        var crl = CliOptions.Optional("--crl", "CURRENT", "the CA's current CRL, whose entries are kept (omit for the CA's first list)");
        var output = CliOptions.Required("--out", "CRL", "where to write the new CRL (replaced atomically)");
        var validDays = CliOptions.Int("--valid-days", "N", DefaultValidDays, 1, 3650, "days until the CRL's next update");
        var passphrase = CliOptions.PassphraseEnv(what: "the CA key file's passphrase");
        var weak = CliOptions.AllowWeakKdf();
        var revoke = new Command("revoke", "add a certificate to its CA's revocation list: a new SM2-signed CRL keeping every earlier entry")
            { caCert, caKey, cert, crl, output, validDays, passphrase, weak };
        revoke.SetAction(p => Revoke(p.GetValue(caCert)!, p.GetValue(caKey)!, p.GetValue(cert)!, p.GetValue(crl), p.GetValue(output)!, p.GetValue(validDays),
            p.GetValue(weak), () => context.Passphrase(p.GetValue(passphrase)), context));
        yield return new Command("ca", "the consortium's certificate authorities (root and cities)") { revoke };
    }

    private static int Revoke(string caCertificatePath, string caKeyPath, string certificatePath, string? currentPath, string output, int validDays,
        bool allowWeak, Func<string> askPassphrase, CliContext context)
    {
        var passphrase = askPassphrase();

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
