using Ledger.Client;
using Ledger.Core;
using Ledger.Crypto.Transport;

namespace Ledger.Cli.Commands;

/// <summary>
/// The node a client verb talks to: <c>--node URL</c> (default the devnet's first validator), the transport CA it must
/// present a certificate from (<c>--transport-ca PEM</c>, else <c>$LEDGER_TRANSPORT_CA</c>, else — for the default node
/// only — <c>./devnet/transport-ca.pem</c>; never the system store when one is named), and plaintext only with
/// <c>--insecure</c>.
/// </summary>
internal sealed record NodeTarget(string Url, TransportTrust? TransportCa)
{
    public const string DefaultUrl = "https://127.0.0.1:7600";
    public const string CaVariable = "LEDGER_TRANSPORT_CA";
    public const string Flags = "--node URL, --transport-ca PEM (or $" + CaVariable + "), --insecure for an http:// node";

    public static NodeTarget Read(Arguments args, CliContext context, string? defaultUrl = null, string? defaultCa = null)
    {
        var given = args.Optional("node");
        var url = given ?? defaultUrl ?? DefaultUrl;
        var insecure = args.Flag("insecure");
        var caPath = args.Optional("transport-ca");
        if (caPath is null && context.Environment(CaVariable) is { Length: > 0 } fromEnvironment) caPath = fromEnvironment;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--node must be an https:// URL, got '{url}'");
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            if (!insecure) throw new UsageException($"--node {url} is plaintext; TLS is the rule (https://), --insecure allows http:// for debugging");
            return new NodeTarget(url, null);
        }
        caPath ??= defaultCa ?? (given is null && File.Exists(DevnetCa) ? DevnetCa : null);
        if (caPath is null) return new NodeTarget(url, null);
        try
        {
            return new NodeTarget(url, TransportTrust.Load(caPath));
        }
        catch (LedgerException e)
        {
            throw new UsageException($"--transport-ca: {e.Message}");
        }
    }

    private static string DevnetCa => Path.Combine("devnet", "transport-ca.pem");

    public LedgerClient Connect(LedgerClientOptions? options = null) =>
        LedgerClient.Connect(Url, (options ?? new LedgerClientOptions()) with { TransportCa = TransportCa });

    public override string ToString() => Url;
}
