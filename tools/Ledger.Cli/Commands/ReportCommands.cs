using System.CommandLine;
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
    /// <summary>The <c>report</c> and <c>report-verify</c> subcommands of <c>ledger proof</c>.</summary>
    public static IEnumerable<Command> Commands(CliContext context)
    {
        var proofArgument = CliOptions.Positional("PROOF", "proof.json or a contract bundle, as ledger proof get (--tx or --contract) or the explorer writes it");
        var genesisOption = CliOptions.Required("--genesis", "FILE", "genesis.json of the chain: the trust anchor");
        var fileOption = CliOptions.Optional("--file", "FILE", "the contract document: the report states whether its SM3 is the anchored hash (of a bundle: which version's)");
        var keyOption = CliOptions.Required("--key", "KEYFILE", "the issuing bureau's SM2 key file");
        var certOption = CliOptions.Required("--cert", "PEM", "the issuing bureau's certificate (role Bureau, chaining to the consortium root)");
        var outOption = CliOptions.Required("--out", "FILE", "where to write report.pdf (its detached signature goes to FILE.sig)");
        var explorerOption = new Option<Uri?>("--explorer")
        {
            HelpName = "URL",
            Description = "the explorer the report's QR code points at (its verify page)",
            CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url
                : CliOptions.Error<Uri?>(r, $"--explorer must be an http(s) URL, got '{r.Tokens.Single().Value}'"),
        };
        var passphrase = CliOptions.PassphraseEnv();
        var weak = CliOptions.AllowWeakKdf();
        var report = new Command("report", "check a tx proof or a contract bundle offline and write a PDF verification report, signed by the issuing bureau (SM2, embedded and detached); an invalid bundle gets no report (exit 1)")
            { proofArgument, genesisOption, fileOption, keyOption, certOption, outOption, explorerOption, passphrase, weak };
        report.SetAction(p => Report(p.GetValue(proofArgument)!, p.GetValue(genesisOption)!, p.GetValue(fileOption), p.GetValue(keyOption)!,
            p.GetValue(certOption)!, p.GetValue(outOption)!, p.GetValue(explorerOption), p.GetValue(weak), () => context.Passphrase(p.GetValue(passphrase)), context));

        var reportArgument = CliOptions.Positional("REPORT", "report.pdf, as ledger proof report or the explorer writes it");
        var verifyGenesis = CliOptions.Required("--genesis", "FILE", "genesis.json of the chain: whose bureaus may sign reports");
        var sigOption = CliOptions.Optional("--sig", "FILE", "the detached signature (report.pdf.sig) to check as well");
        var verify = new Command("report-verify", "exit 0 when a bureau of the consortium signed exactly this report, 1 when not, 2 when unreadable")
            { reportArgument, verifyGenesis, sigOption };
        verify.SetAction(p => Verify(p.GetValue(reportArgument)!, p.GetValue(verifyGenesis)!, p.GetValue(sigOption), context));

        yield return report;
        yield return verify;
    }

    private static int Report(string proofPath, string genesisPath, string? filePath, string keyPath, string certificatePath, string output,
        Uri? explorer, bool allowWeak, Func<string> askPassphrase, CliContext context)
    {
        var proofJson = FileCommands.ReadText(proofPath);
        var genesisBytes = File.ReadAllBytes(genesisPath);
        var genesis = GenesisDocument.FromJson(System.Text.Encoding.UTF8.GetString(genesisBytes));
        var certificate = LedgerCertificate.FromPem(FileCommands.ReadText(certificatePath));
        using var key = KeyFile.Load(keyPath, askPassphrase(), allowWeak ? KeyFileOptions.ForTests : null);
        if (key.PublicKey.Id != certificate.PublicKey.Id) throw new UsageException($"{keyPath} is not the key of {certificatePath}");
        var issuer = new ReportIssuer(certificate, key);
        if (ContractEvidence.IsContractEvidence(proofJson))
            return ReportBundle(proofJson, genesis, Sm3.Hash(genesisBytes), filePath, issuer, output, explorer, context);

        var proof = EvidenceProof.FromJson(proofJson);
        EvidenceReport result;
        using (var file = filePath is null ? null : FileCommands.OpenInput(filePath))
            result = new EvidenceVerifier(genesis).Verify(proof, file);
        var report = VerificationReport.Create(proofJson, result, genesis, Sm3.Hash(genesisBytes), issuer,
            DateTimeOffset.UtcNow, filePath is null ? null : Path.GetFileName(filePath), explorer);
        var signed = ReportSignature.Sign(ReportPdfWriter.Render(report), issuer);
        WriteAtomically(output, signed.Pdf);
        WriteAtomically(output + ".sig", signed.DetachedSignature);
        context.Out.WriteLine($"wrote {output} (report {report.ReportId}, {(report.Valid ? "proof valid" : $"proof NOT valid: {result.Result.Code}")}) " +
            $"and {output}.sig (SM2 signature over its first {signed.SignedLength} bytes)");
        return ExitCode.Ok;
    }

    /// <summary>
    /// The report of a contract bundle: only of one that verifies — a bundle that does not is refused (exit 1) and no
    /// report is written, as a report vouches for every event it lists.
    /// </summary>
    private static int ReportBundle(string bundleJson, GenesisDocument genesis, Ledger.Core.Hash32 genesisFingerprint, string? filePath,
        ReportIssuer issuer, string output, Uri? explorer, CliContext context)
    {
        if (explorer is not null) throw new UsageException("--explorer goes with a tx proof: a contract bundle's report carries no QR code (its pages are for signed-in staff)");
        var bundle = ContractEvidence.FromJson(bundleJson);
        var result = new ContractEvidenceVerifier(genesis).Verify(bundle);
        if (!result.IsValid)
            throw new NegativeAnswerException($"contract bundle invalid: {result.Result.Code}: {result.Result.Reason}; no report written");
        (string, Ledger.Core.Hash32)? file = null;
        if (filePath is not null)
        {
            using var stream = FileCommands.OpenInput(filePath);
            file = (Path.GetFileName(filePath), Sm3.Hash(stream));
        }
        var report = ContractBundleReport.Create(bundleJson, result, genesis, genesisFingerprint, issuer, DateTimeOffset.UtcNow, file);
        var signed = ReportSignature.Sign(ContractReportPdfWriter.Render(report), issuer);
        WriteAtomically(output, signed.Pdf);
        WriteAtomically(output + ".sig", signed.DetachedSignature);
        var superseded = report.SupersededVersions.Count == 0 ? "" : $", version {string.Join(", ", report.SupersededVersions)} superseded";
        var fileNote = report.File is not { } f ? "" : f.Matches ? $", {f.Name} is version {f.Version}" : $", {f.Name} matches no event";
        context.Out.WriteLine($"wrote {output} (report {report.ReportId}, contract bundle valid: {result.ContractId} at height {result.Height}, " +
            $"{(result.Found ? $"{result.Status}, version in force {result.EffectiveVersion}, {report.Events.Count} events" : "no record")}{superseded}{fileNote}) " +
            $"and {output}.sig (SM2 signature over its first {signed.SignedLength} bytes)");
        return ExitCode.Ok;
    }

    private static int Verify(string reportPath, string genesisPath, string? signaturePath, CliContext context)
    {
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
