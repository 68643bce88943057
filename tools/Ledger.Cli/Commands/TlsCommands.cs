using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.Crypto.Transport;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger tls ca|csr|issue</c>: the consortium's transport CA (ECDSA P-256) and its certificates, made without a
/// TLS key ever leaving its service's machine. The province keeps the CA; each bureau makes its key and a request for
/// each of its services; the CA binds a validator's certificate to its genesis name (<see cref="ValidatorTransportName"/>).
/// </summary>
public static class TlsCommands
{
    public const int DefaultCaDays = 10 * 365;
    public const int DefaultCertificateDays = 2 * 365;

    public static IEnumerable<Command> Commands(CliContext context)
    {
        yield return new Command("tls", "the consortium's transport (TLS) CA and certificates, ECDSA P-256: each service's key stays with it")
            { Ca(context), Csr(context), Issue(context) };
    }

    private static Command Ca(CliContext context)
    {
        var name = CliOptions.Required("--name", "CONSORTIUM", "the consortium's name, the CA's organisation (e.g. \"Guangdong HRSS Ledger consortium\")");
        var output = CliOptions.Required("--out", "PEM", "where to write the CA certificate (transport-ca.pem: every client and peer pins it)");
        var keyOut = CliOptions.Required("--key-out", "KEY", "where to write the CA key, encrypted PKCS#8 (mode 0600)");
        var days = CliOptions.Int("--valid-days", "N", DefaultCaDays, 1, 30 * 365, "days the CA is valid, from now");
        var passphrase = CliOptions.PassphraseEnv(what: "the passphrase the CA key is encrypted under");
        var ca = new Command("ca", "a new transport CA (ECDSA P-256, self-signed): certificate and encrypted key") { name, output, keyOut, days, passphrase };
        ca.SetAction(p =>
        {
            var certificatePath = p.GetValue(output)!;
            var keyPath = p.GetValue(keyOut)!;
            foreach (var path in new[] { certificatePath, keyPath })
                if (File.Exists(path)) throw new UsageException($"{path} exists; refusing to overwrite a CA");
            var secret = context.Passphrase(p.GetValue(passphrase), confirm: true);
            var now = DateTimeOffset.UtcNow;
            using var transportCa = TransportCertificateAuthority.Create(p.GetValue(name)!, now.AddHours(-1), now.AddDays(p.GetValue(days)));
            transportCa.SaveKey(keyPath, secret, KeyFileOptions.MinimumIterations);
            File.WriteAllText(certificatePath, transportCa.CertificatePem());
            context.Out.WriteLine($"wrote {certificatePath} and {keyPath} (0600): transport CA {transportCa.Certificate.Subject}, " +
                $"valid until {transportCa.Certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            return ExitCode.Ok;
        });
        return ca;
    }

    private static Command Csr(CliContext context)
    {
        var key = CliOptions.Required("--key", "KEY", "the service's TLS key (PEM, unencrypted PKCS#8, mode 0600): made here if it does not exist, else reused");
        var name = CliOptions.Required("--name", "NAME", "the service's name (a validator's: its genesis name)");
        var dns = new Option<string[]>("--dns") { HelpName = "HOST", Description = "a host name clients dial (repeatable; default: localhost and NAME)", AllowMultipleArgumentsPerToken = false };
        var ip = new Option<string[]>("--ip") { HelpName = "ADDRESS", Description = "an IP address clients dial (repeatable; default: 127.0.0.1 and ::1)", AllowMultipleArgumentsPerToken = false };
        var output = CliOptions.Required("--out", "CSR", "where to write the request (PEM), to hand to the transport CA");
        var csr = new Command("csr", "a TLS key (made if absent) and a certificate request for it (PKCS#10, ECDSA P-256 with SHA-256)") { key, name, dns, ip, output };
        csr.SetAction(p =>
        {
            var serviceName = p.GetValue(name)!;
            var hosts = p.GetValue(dns) is { Length: > 0 } d ? d : ["localhost", serviceName];
            var addresses = (p.GetValue(ip) is { Length: > 0 } i ? i : ["127.0.0.1", "::1"]).Select(a => IPAddress.TryParse(a, out var parsed)
                ? parsed
                : throw new UsageException($"--ip '{a}' is not an IP address")).ToArray();
            foreach (var host in hosts)
                if (Uri.CheckHostName(host) != UriHostNameType.Dns) throw new UsageException($"--dns '{host}' is not a host name");
            var keyPath = p.GetValue(key)!;
            var made = !File.Exists(keyPath);
            using var ecdsa = made ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : LoadKey(keyPath);
            var request = TransportSigningRequest.Create(ecdsa, serviceName, hosts, addresses);
            if (made) TransportCredentials.WritePrivate(keyPath, ecdsa.ExportPkcs8PrivateKeyPem() + "\n");
            File.WriteAllText(p.GetValue(output)!, request.Pem);
            context.Out.WriteLine($"wrote {p.GetValue(output)}: request for {serviceName} ({string.Join(", ", hosts.Concat(addresses.Select(a => a.ToString())))}), " +
                $"{(made ? "new key" : "key")} {keyPath}, key SHA-256 {request.KeyFingerprint}");
            return ExitCode.Ok;
        });
        return csr;
    }

    private static Command Issue(CliContext context)
    {
        var caCert = CliOptions.Required("--ca-cert", "PEM", "the transport CA's certificate (transport-ca.pem)");
        var caKey = CliOptions.Required("--ca-key", "KEY", "the transport CA's encrypted key");
        var csr = CliOptions.Required("--csr", "CSR", "the service's request (ledger tls csr, or openssl req with a P-256 key)");
        var validator = CliOptions.Optional("--validator", "NAME", "bind the certificate to this validator's genesis name (only a validator's own certificate): the peer service admits it, as that validator only");
        var days = CliOptions.Int("--valid-days", "N", DefaultCertificateDays, 1, 10 * 365, "days the certificate is valid, from now (never past the CA)");
        var output = CliOptions.Required("--out", "PEM", "where to write the certificate (tls.pem)");
        var passphrase = CliOptions.PassphraseEnv(what: "the CA key's passphrase");
        var issue = new Command("issue", "the transport CA certifies a service's TLS key from its request: server and client authentication, the names asked for")
            { caCert, caKey, csr, validator, days, output, passphrase };
        issue.SetAction(p =>
        {
            var bound = p.GetValue(validator);
            if (bound is not null && !ValidatorTransportName.IsValidName(bound))
                throw new UsageException($"--validator '{bound}' is not a validator name (letters, digits, '.', '_', '-')");
            var request = TransportSigningRequest.FromPem(ReadText(p.GetValue(csr)!, "certificate request"));
            using var transportCa = TransportCertificateAuthority.Load(p.GetValue(caCert)!, p.GetValue(caKey)!, context.Passphrase(p.GetValue(passphrase)));
            var now = DateTimeOffset.UtcNow;
            using var certificate = transportCa.Issue(request, now.AddMinutes(-5), now.AddDays(p.GetValue(days)), bound);
            var path = p.GetValue(output)!;
            File.WriteAllText(path + ".tmp", certificate.ExportCertificatePem() + "\n");
            File.Move(path + ".tmp", path, overwrite: true);
            context.Out.WriteLine($"issued {path}: {request.Name}{(bound is null ? "" : $", validator {bound}")}, names {string.Join(", ", request.DnsNames.Concat(request.Addresses.Select(a => a.ToString())))}, " +
                $"valid until {certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            return ExitCode.Ok;
        });
        return issue;
    }

    private static ECDsa LoadKey(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            throw new UsageException($"TLS key {path} is readable by group or others; chmod 600 it");
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(ReadText(path, "TLS key"));
            if (!TransportSigningRequest.IsP256(key)) throw new UsageException($"{path}: not a NIST P-256 key");
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new UsageException($"{path}: not an unencrypted PEM ECDSA key: {e.Message}");
        }
        catch
        {
            key.Dispose();
            throw;
        }
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
