using System.CommandLine;
using System.Globalization;
using Ledger.Core;
using Ledger.Core.Identity;
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
        yield return new Command("ca", "the consortium's certificate authorities (root and cities)") { Root(context), Csr(context), Issue(context), revoke, Publish(context), Serve(context) };
    }

    /// <summary>
    /// <c>ledger ca serve --config FILE</c>: a city's CA process on the bureau's internal side, until SIGINT or SIGTERM. It
    /// alone holds the city CA's key and the province's pseudonym key, and certifies a holder key for its signer only on a
    /// named operator's fresh authorisation, which it checks itself.
    /// </summary>
    private static Command Serve(CliContext context)
    {
        var config = CliOptions.Required("--config", "FILE", "the CA process's config.json (network init writes one under ca-services/<city>/)");
        var insecure = CliOptions.Flag("--insecure", "plaintext, no client certificates: for debugging only (any caller then reaches the authorisation check)");
        var logFormat = CliOptions.LogFormatOption();
        var serve = new Command("serve", "run a city's CA process (internal network only): certifies the signer's holder keys on an operator's authorisation")
            { config, insecure, logFormat };
        serve.SetAction(p =>
        {
            var caConfig = Signer.Ca.CaConfig.Load(p.GetValue(config)!);
            if (p.GetValue(insecure)) caConfig = caConfig with { Insecure = true };
            var format = p.GetValue(logFormat) ?? LogFormat.Text;
            using var stop = new StopSignal();
            var logging = LogFormat.Configure(format);
            var host = Signer.Ca.CaHost.StartAsync(caConfig, stop.Token, logging).GetAwaiter().GetResult();
            using var banner = new Banner(context, format, logging);
            try
            {
                banner.Say("{Ca}: CA process of {Authority} ({Division}), {Issued} certificates issued so far", caConfig.Name, host.Ca.Certificate.CommonName,
                    host.Ca.Certificate.Division.Value, host.Ca.Issued);
                banner.Say("  grpc    {GrpcEndpoint}  (CaService; internal network only)", host.GrpcEndpoint.ToString().TrimEnd('/'));
                if (caConfig.Insecure == true) banner.Say("  INSECURE: plaintext, no client certificates (debugging only)");
                else banner.Say("  mutual TLS; callers allowed: {Allowed}", string.Join(", ", caConfig.AllowedClients));
                banner.Say("running; Ctrl-C stops");
                stop.Wait();
                banner.Say("stopping");
            }
            finally
            {
                host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return ExitCode.Ok;
        });
        return serve;
    }

    /// <summary>
    /// <c>ledger ca publish</c>: a Bureau puts a CA's CRL on chain (a PublishCrl tx, body-signed by the Bureau). From its
    /// block on, every node refuses txs endorsed by a listed certificate, and proofs show each signer's status at its block.
    /// </summary>
    private static Command Publish(CliContext context)
    {
        var crlPath = CliOptions.Required("--crl", "CRL", "the CA's CRL (PEM or DER), as ledger ca revoke wrote it");
        var node = new NodeOptions();
        var key = CliOptions.Required("--key", "KEYFILE", "the publishing Bureau's key file");
        var cert = CliOptions.Required("--cert", "PEM", "the publishing Bureau's certificate");
        var passphrase = CliOptions.PassphraseEnv(what: "the Bureau key file's passphrase");
        var wait = CliOptions.Int("--wait", "SECONDS", 30, 1, 300, "how long to await the commit; exit 1 if the chain refused the CRL");
        var weak = CliOptions.AllowWeakKdf();
        var publish = new Command("publish", "publish a CA's CRL on chain: from its block on, txs endorsed by a listed certificate are refused, and proofs show it")
            { crlPath, key, cert, passphrase, wait, weak };
        node.AddTo(publish);
        publish.SetAction(p =>
        {
            var bytes = FileCommands.ReadInput(p.GetValue(crlPath)!);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            var crl = text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal)
                ? CertificateRevocationList.FromPem(text)
                : CertificateRevocationList.FromDer(bytes);
            if (crl.Der.Length > Core.Revocation.PublishCrlPayload.MaxCrlBytes)
                throw new UsageException($"the CRL is {crl.Der.Length} bytes, more than one tx holds ({Core.Revocation.PublishCrlPayload.MaxCrlBytes}); publish the revocations since the last CRL on chain instead");
            var bureau = LedgerCertificate.FromPem(FileCommands.ReadText(p.GetValue(cert)!));
            using var bureauKey = KeyFile.Load(p.GetValue(key)!, context.Passphrase(p.GetValue(passphrase)), new KeyFileOptions { AllowWeakIterations = p.GetValue(weak) });
            var url = node.Read(p, context);
            var chainId = ContractCommands.WithNode(url, c => c.GetChainInfoAsync()).ChainId;
            var body = new Core.Revocation.PublishCrlPayload { Crl = crl.Der }
                .CreateBody(chainId, Client.TransactionBuilder.NewNonce(), DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds(), bureau.Id);
            var envelope = Client.TransactionBuilder.SignedBySubmitter(body, bureau, bureauKey);
            var txId = ContractCommands.WithNode(url, c => c.SubmitAsync(envelope));
            context.Out.WriteLine($"submitted {txId}");
            // The Bureau reads its own tx back: the call is signed with its certificate (anonymous callers get the public view).
            var committed = ContractCommands.WithNode(url, c => c.WaitForCommitAsync(txId, TimeSpan.FromSeconds(p.GetValue(wait))),
                new Client.Access.CallerIdentity(bureau, bureauKey));
            if (!committed.Succeeded)
                throw new NegativeAnswerException($"tx {txId} committed at height {committed.Height} but refused: {committed.Receipt.Code}: {committed.Receipt.Message}");
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"committed at height {committed.Height}: the CRL of {crl.Issuer} dated {crl.ThisUpdate:u}, {crl.Entries.Count} revoked certificate(s)"));
            return ExitCode.Ok;
        });
        return publish;
    }

    /// <summary>
    /// What <c>ca issue --role</c> takes: the end-entity roles, a validator's certificate (which makes no validator: only
    /// genesis and governance votes put one in the set) and, for the root, a city CA's certificate.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, Role Role)> IssuableRoles =
    [
        .. new[] { Role.Employer, Role.Worker, Role.Bureau, Role.Operator, Role.Integrator, Role.Arbitration, Role.Court, Role.Inspector, Role.Observer, Role.Validator }
            .Select(r => (CliOptions.Kebab(r.ToString()), r)),
        ("city-ca", Role.IntermediateCa),
    ];

    public const int DefaultCertificateDays = 3 * 365;

    private static Command Issue(CliContext context)
    {
        var caCert = CliOptions.Required("--ca-cert", "PEM", "the issuing CA's certificate (the root, or a city's for its employers, workers, ...)");
        var caKey = CliOptions.Required("--ca-key", "KEYFILE", "the CA's key file");
        var csr = CliOptions.Optional("--csr", "PEM", "the holder's certificate request (PKCS#10, SM3withSM2; its signature is checked)");
        var pub = CliOptions.Optional("--pub", "PEM", "the holder's public key (as ledger key show --pem prints it), instead of --csr");
        var roleNames = IssuableRoles.Select(r => r.Name).ToArray();
        var role = new Option<Role?>("--role")
        {
            HelpName = "ROLE",
            Required = true,
            Description = $"what the holder is: {string.Join(", ", roleNames)} (a validator certificate counts only once genesis or a governance vote names it; city-ca: the root certifies a city bureau's CA)",
            CustomParser = r =>
            {
                var text = r.Tokens[^1].Value;
                var found = IssuableRoles.Where(x => x.Name == text).Select(x => (Role?)x.Role).FirstOrDefault();
                if (found is null) r.AddError($"--role must be one of {string.Join(", ", roleNames)}; got '{text}'");
                return found;
            },
        };
        role.CompletionSources.Clear();
        role.CompletionSources.Add(roleNames);
        var subject = CliOptions.Optional("--subject", "NAME", "the certificate's common name (default: the CSR's); for a worker never a name or ID number");
        var creditCode = CliOptions.CreditCode("--credit-code", "an employer's unified social credit code (required for employers, refused for workers)");
        var pseudonymKey = CliOptions.Optional("--pseudonym-key", "FILE", "a worker: the province's pseudonym key (64 hex digits, ca/pseudonym.key); the certificate names HMAC-SM3 of the ID number under it");
        var idNumberEnv = CliOptions.Optional("--id-number-env", "VAR", "a worker: the environment variable holding the ID number checked in the real-name check (never an argument, never printed)");
        var division = CliOptions.Division("--division", "the holder's 12-digit division code, inside the CA's (default: the CA's own)");
        var days = CliOptions.Int("--valid-days", "N", DefaultCertificateDays, 1, 10 * 365, "days the certificate is valid, from now");
        var output = CliOptions.Required("--out", "PEM", "where to write the certificate");
        var passphrase = CliOptions.PassphraseEnv(what: "the CA key file's passphrase");
        var weak = CliOptions.AllowWeakKdf();
        var issue = new Command("issue", "a CA certifies a holder's key — an employer, worker, bureau (a signer service), integrator, court, arbitration board, inspector or validator, or (the root) a city CA: CSR or public key in, PEM out")
            { caCert, caKey, csr, pub, role, subject, creditCode, pseudonymKey, idNumberEnv, division, days, output, passphrase, weak };
        issue.SetAction(p =>
        {
            var csrPath = p.GetValue(csr);
            var pubPath = p.GetValue(pub);
            if ((csrPath is null) == (pubPath is null)) throw new UsageException("give exactly one of --csr PEM and --pub PEM");
            var request = csrPath is null ? null : CertificateSigningRequest.FromPem(ReadText(csrPath, "certificate request"));
            var publicKey = request?.PublicKey ?? Sm2PublicKey.FromPem(ReadText(pubPath!, "public key"));
            var commonName = p.GetValue(subject) ?? request?.CommonName ?? throw new UsageException("give --subject NAME (the certificate's common name)");
            var holderRole = p.GetValue(role)!.Value;
            var code = p.GetValue(creditCode);
            if (holderRole == Role.Employer && code is null) throw new UsageException("an employer certificate needs --credit-code (the employer's unified social credit code)");
            if (holderRole != Role.Employer && code is not null) throw new UsageException($"--credit-code is only for employers, not a {CliOptions.Kebab(holderRole.ToString())}");
            Hash32? pseudonym = null;
            if (holderRole == Role.Worker)
            {
                var keyPath = p.GetValue(pseudonymKey) ?? throw new UsageException("a worker certificate needs --pseudonym-key FILE and --id-number-env VAR (it names the worker's pseudonym)");
                var variable = p.GetValue(idNumberEnv) ?? throw new UsageException("a worker certificate needs --id-number-env VAR (the ID number, read from the environment)");
                var idNumber = context.FromEnvironment(variable);
                var hex = ReadText(keyPath, "pseudonym key").Trim();
                if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit)) throw new UsageException($"{keyPath}: a pseudonym key is 64 hex digits");
                if (!WorkerPseudonym.IsValidIdNumber(idNumber.Trim().ToUpperInvariant())) throw new UsageException($"{variable}: not an 18-character resident identity number with a valid check character");
                pseudonym = WorkerPseudonym.Compute(Convert.FromHexString(hex), idNumber);
            }
            else if (p.GetValue(pseudonymKey) is not null || p.GetValue(idNumberEnv) is not null)
                throw new UsageException("--pseudonym-key and --id-number-env are only for workers");

            var caCertificate = LedgerCertificate.FromPem(ReadText(p.GetValue(caCert)!, "CA certificate"));
            if (!caCertificate.IsCa) throw new UsageException($"{p.GetValue(caCert)}: {caCertificate.Subject} is not a CA certificate");
            using var key = KeyFile.Load(p.GetValue(caKey)!, context.Passphrase(p.GetValue(passphrase)), p.GetValue(weak) ? KeyFileOptions.ForTests : null);
            if (key.PublicKey != caCertificate.PublicKey) throw new UsageException($"{p.GetValue(caKey)} is not the key of {p.GetValue(caCert)}");
            var ca = CertificateAuthority.FromCertificate(caCertificate, key);
            var now = DateTimeOffset.UtcNow;
            // A certificate never outlives its CA: it would stop verifying on the CA's last day anyway.
            var notAfter = Min(now.AddDays(p.GetValue(days)), caCertificate.NotAfter);
            LedgerCertificate certificate;
            if (holderRole == Role.IntermediateCa)
            {
                var cityDivision = p.GetValue(division) ?? throw new UsageException("a city CA certificate needs --division DIVISION12 (the city's, inside the root's)");
                if (cityDivision == caCertificate.Division)
                    throw new UsageException($"--division {cityDivision}: a city CA's division lies below the root's ({caCertificate.Division}), not at it");
                certificate = ca.IssueIntermediateCertificate(commonName, cityDivision, publicKey, now.AddMinutes(-5), notAfter);
            }
            else
            {
                certificate = ca.Issue(new CertificateRequest(commonName, holderRole, p.GetValue(division) ?? caCertificate.Division, publicKey,
                    now.AddMinutes(-5), notAfter, code, pseudonym));
            }

            var path = p.GetValue(output)!;
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, certificate.ToPem());
            File.Move(temporary, path, overwrite: true);
            var credit = code is { } c ? $", credit code {c}" : pseudonym is { } ps ? $", worker pseudonym {ps}" : certificate.IsCa ? $", CA path length {certificate.PathLength}" : "";
            context.Out.WriteLine($"issued {path}: {certificate.Role} {certificate.CommonName}{credit}, division {certificate.Division}, serial {certificate.SerialNumberHex}, " +
                $"valid until {certificate.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, by {caCertificate.CommonName}");
            return ExitCode.Ok;
        });
        return issue;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public const int DefaultRootDays = 10 * 365;

    /// <summary>
    /// <c>ledger ca root</c>: the province makes the consortium's root CA certificate for its own key — self-signed, CA,
    /// path length 1 (root → city CA → holder), certificate and CRL signing: the profile <c>network init</c> gives it.
    /// </summary>
    private static Command Root(CliContext context)
    {
        var key = CliOptions.Required("--key", "KEYFILE", "the province's root key file (ledger key new), which never leaves the province");
        var subject = CliOptions.Required("--subject", "NAME", "the root CA's common name, e.g. \"Guangdong HRSS Root CA\"");
        var division = CliOptions.Division("--division", "the province's 12-digit division code (e.g. 440000000000)", required: true);
        var days = CliOptions.Int("--valid-days", "N", DefaultRootDays, 1, 30 * 365, "days the root is valid, from now; every certificate under it ends by then");
        var output = CliOptions.Required("--out", "PEM", "where to write the root certificate (refused if it exists)");
        var passphrase = CliOptions.PassphraseEnv(what: "the root key file's passphrase");
        var weak = CliOptions.AllowWeakKdf();
        var root = new Command("root", "the province's self-signed root CA certificate for its own key: the consortium's trust anchor in genesis")
            { key, subject, division, days, output, passphrase, weak };
        root.SetAction(p =>
        {
            var divisionCode = p.GetValue(division)!.Value;
            if (divisionCode.Level != DivisionLevel.Province)
                throw new UsageException($"--division {divisionCode}: the root CA is the province's; give a province code such as 440000000000");
            var path = p.GetValue(output)!;
            if (File.Exists(path)) throw new UsageException($"{path} exists; a root is made once (remove it to start a new consortium)");
            using var privateKey = KeyFile.Load(p.GetValue(key)!, context.Passphrase(p.GetValue(passphrase)), p.GetValue(weak) ? KeyFileOptions.ForTests : null);
            var now = DateTimeOffset.UtcNow;
            var ca = CertificateAuthority.CreateRoot(p.GetValue(subject)!, divisionCode, privateKey, now.AddHours(-1), now.AddDays(p.GetValue(days)));
            File.WriteAllText(path, ca.Certificate.ToPem());
            context.Out.WriteLine($"wrote {path}: root CA {ca.Certificate.CommonName}, division {ca.Certificate.Division}, path length {ca.Certificate.PathLength}, " +
                $"valid until {ca.Certificate.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, key id {privateKey.PublicKey.Id.ToHex()}");
            return ExitCode.Ok;
        });
        return root;
    }

    private static Command Csr(CliContext context)
    {
        var key = CliOptions.Required("--key", "KEYFILE", "the holder's key file (the request is signed with it)");
        var subject = CliOptions.Required("--subject", "NAME", "the common name asked for (the CA may set another)");
        var output = CliOptions.Required("--out", "PEM", "where to write the request");
        var passphrase = CliOptions.PassphraseEnv();
        var weak = CliOptions.AllowWeakKdf();
        var csr = new Command("csr", "a certificate request (PKCS#10, SM3withSM2) for a key file, to hand to a CA: the key never leaves its holder")
            { key, subject, output, passphrase, weak };
        csr.SetAction(p =>
        {
            using var privateKey = KeyFile.Load(p.GetValue(key)!, context.Passphrase(p.GetValue(passphrase)), p.GetValue(weak) ? KeyFileOptions.ForTests : null);
            var request = CertificateSigningRequest.Create(privateKey, p.GetValue(subject)!);
            File.WriteAllText(p.GetValue(output)!, request.ToPem());
            context.Out.WriteLine($"wrote {p.GetValue(output)}: request for {request.CommonName}, key id {request.PublicKey.Id.ToHex()}");
            return ExitCode.Ok;
        });
        return csr;
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
