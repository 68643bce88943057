using System.CommandLine;
using Ledger.Client.Access;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Cli.Commands;

/// <summary>
/// Who a reading command's calls are signed as (ARCHITECTURE §4, callers authenticate): --cert and --key of a consortium
/// certificate, with the key file's passphrase. Without them a command that may run anonymously does.
/// </summary>
internal sealed class CallerOptions(bool required)
{
    private readonly Option<string?> _cert = CliOptions.Optional("--cert", "PEM", required ? "your certificate: the call is signed with it" : "your certificate, to sign the call (else anonymous: the public view)");
    private readonly Option<string?> _key = CliOptions.Optional("--key", "KEYFILE", "the certificate's key file");
    private readonly Option<string?> _passphrase = CliOptions.PassphraseEnv();
    private readonly Option<bool> _allowWeak = CliOptions.AllowWeakKdf();

    public Option[] All => [_cert, _key, _passphrase, _allowWeak];

    /// <summary>The identity, or null when neither --cert nor --key was given and the command may run anonymously.</summary>
    public CallerIdentity? Identity(ParseResult p, CliContext context)
    {
        var cert = p.GetValue(_cert);
        var key = p.GetValue(_key);
        if (cert is null && key is null)
            return required ? throw new UsageException("this call is signed: give --cert PEM --key KEYFILE") : null;
        if (cert is null || key is null) throw new UsageException("--cert and --key go together (your certificate and its key file)");
        var certificate = LedgerCertificate.FromPem(FileCommands.ReadText(cert));
        var passphrase = context.Passphrase(p.GetValue(_passphrase));
        return new CallerIdentity(certificate, KeyFile.Load(key, passphrase, new KeyFileOptions { AllowWeakIterations = p.GetValue(_allowWeak) }));
    }
}
