using Ledger.Client.Evidence;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Reports;
using Ledger.Reports.Pdf;

namespace Ledger.Cli.Commands;

/// <summary>
/// <c>ledger proof report</c>: checks a proof offline and writes the bureau-signed PDF report a clerk files (with the
/// detached signature beside it); <c>ledger proof report-verify</c>: exit 0 when a report is what a consortium bureau
/// signed, 1 when it is not, 2 when a file is unreadable.
/// </summary>
public static class ReportCommands
{
    public static int Report(Arguments args, CliContext context)
    {
        var proofPath = args.Positional("PROOF");
        var genesisPath = args.Required("genesis");
        var filePath = args.Optional("file");
        var keyPath = args.Required("key");
        var certificatePath = args.Required("cert");
        var output = args.Required("out");
        var explorer = args.Optional("explorer");
        var allowWeak = args.Flag("allow-weak-kdf");
        var passphrase = context.Passphrase(args);
        args.EnsureAllRead();

        var proofJson = FileCommands.ReadText(proofPath);
        var proof = EvidenceProof.FromJson(proofJson);
        var genesisBytes = File.ReadAllBytes(genesisPath);
        var genesis = GenesisDocument.FromJson(System.Text.Encoding.UTF8.GetString(genesisBytes));
        Uri? explorerUrl = null;
        if (explorer is not null && (!Uri.TryCreate(explorer, UriKind.Absolute, out explorerUrl) || explorerUrl.Scheme is not ("http" or "https")))
            throw new UsageException($"--explorer must be an http(s) URL, got '{explorer}'");
        var certificate = LedgerCertificate.FromPem(FileCommands.ReadText(certificatePath));
        using var key = KeyFile.Load(keyPath, passphrase, allowWeak ? KeyFileOptions.ForTests : null);
        if (key.PublicKey.Id != certificate.PublicKey.Id) throw new UsageException($"{keyPath} is not the key of {certificatePath}");

        EvidenceReport result;
        using (var file = filePath is null ? null : FileCommands.OpenInput(filePath))
            result = new EvidenceVerifier(genesis).Verify(proof, file);
        var report = VerificationReport.Create(proofJson, result, genesis, Sm3.Hash(genesisBytes), new ReportIssuer(certificate, key),
            DateTimeOffset.UtcNow, filePath is null ? null : Path.GetFileName(filePath), explorerUrl);
        var signed = ReportSignature.Sign(ReportPdfWriter.Render(report), new ReportIssuer(certificate, key));
        WriteAtomically(output, signed.Pdf);
        WriteAtomically(output + ".sig", signed.DetachedSignature);
        context.Out.WriteLine($"wrote {output} (report {report.ReportId}, {(report.Valid ? "proof valid" : $"proof NOT valid: {result.Result.Code}")}) " +
            $"and {output}.sig (SM2 signature over its first {signed.SignedLength} bytes)");
        return ExitCode.Ok;
    }

    public static int Verify(Arguments args, CliContext context)
    {
        var reportPath = args.Positional("REPORT");
        var genesisPath = args.Required("genesis");
        var signaturePath = args.Optional("sig");
        args.EnsureAllRead();

        var bytes = File.ReadAllBytes(reportPath);
        var genesis = GenesisDocument.FromJson(FileCommands.ReadText(genesisPath));
        var detached = signaturePath is null ? null : File.ReadAllBytes(signaturePath);
        var check = ReportSignature.Verify(bytes, genesis, DateTimeOffset.UtcNow, detached);
        if (!check.IsValid) throw new NegativeAnswerException($"report not valid: {check.Result.Code}: {check.Result.Reason}");
        context.Out.WriteLine($"report valid: signed by {check.Issuer!.CommonName} ({check.Issuer.Role}, {check.Issuer.Division}), " +
            $"the first {check.SignedLength} bytes{(detached is null ? "" : "; the detached signature holds too")}");
        return ExitCode.Ok;
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
