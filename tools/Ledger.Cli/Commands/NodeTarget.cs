using System.CommandLine;
using Ledger.Client;
using Ledger.Core;
using Ledger.Crypto.Transport;

namespace Ledger.Cli.Commands;

/// <summary>
/// The node a client verb talks to: <c>--node URL</c> (else <c>$LEDGER_NODE</c>, else the devnet's first validator), the
/// transport CA its TLS certificate must chain to (<c>--transport-ca PEM</c>, else <c>$LEDGER_TRANSPORT_CA</c>, else —
/// when no <c>--node</c> was given — <c>./devnet/transport-ca.pem</c>; when one is named the system store is never
/// consulted), and plaintext only with <c>--insecure</c>.
/// </summary>
internal sealed record NodeTarget(string Url, TransportTrust? TransportCa)
{
    public const string DefaultUrl = "https://127.0.0.1:7600";
    public const string CaVariable = "LEDGER_TRANSPORT_CA";

    /// <summary>Names the node the client verbs talk to when --node is not given.</summary>
    public const string NodeVariable = "LEDGER_NODE";

    public LedgerClient Connect(LedgerClientOptions? options = null) =>
        LedgerClient.Connect(Url, (options ?? new LedgerClientOptions()) with { TransportCa = TransportCa });

    public override string ToString() => Url;

    public static NodeTarget Resolve(string? given, string? caPath, bool insecure, CliContext context, string? defaultCa = null)
    {
        var url = given ?? (context.Environment(NodeVariable) is { Length: > 0 } fromVariable ? fromVariable : DefaultUrl);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--node must be an http:// or https:// URL, got '{url}'");
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            if (!insecure) throw new UsageException($"--node {url} is plaintext; TLS is the rule (https://), --insecure allows http:// for debugging");
            return new NodeTarget(url, null);
        }
        if (caPath is null && context.Environment(CaVariable) is { Length: > 0 } fromEnvironment) caPath = fromEnvironment;
        var devnetCa = Path.Combine("devnet", "transport-ca.pem");
        caPath ??= defaultCa ?? (given is null && File.Exists(devnetCa) ? devnetCa : null);
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
}

/// <summary>The options that pick a node: <c>--node</c>, <c>--transport-ca</c>, <c>--insecure</c>.</summary>
internal sealed class NodeOptions
{
    private readonly Option<string?> _node = new("--node") { HelpName = "URL", Description = $"the node's gRPC endpoint (default ${NodeTarget.NodeVariable}, else {NodeTarget.DefaultUrl})" };
    private readonly Option<string?> _transportCa = CliOptions.Optional("--transport-ca", "PEM",
        $"the consortium's transport CA the node's TLS certificate must chain to (else ${NodeTarget.CaVariable}, else ./devnet/transport-ca.pem when --node is not given)");
    private readonly Option<bool> _insecure = CliOptions.Flag("--insecure", "allow an http:// (plaintext) node, for debugging");

    public IEnumerable<Option> All => [_node, _transportCa, _insecure];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public NodeTarget Read(ParseResult p, CliContext context, string? defaultCa = null) =>
        NodeTarget.Resolve(p.GetValue(_node), p.GetValue(_transportCa), p.GetValue(_insecure), context, defaultCa);
}
