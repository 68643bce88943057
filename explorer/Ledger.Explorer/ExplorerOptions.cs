using Microsoft.Extensions.Logging;

namespace Ledger.Explorer;

/// <summary>How an explorer runs: the node it reads over gRPC, where it listens, and the trust anchor it verifies proofs against.</summary>
public sealed record ExplorerOptions
{
    /// <summary>A node's gRPC address, e.g. <c>https://127.0.0.1:7600</c>. The explorer talks to nothing else.</summary>
    public required string NodeUrl { get; init; }

    /// <summary>
    /// Where the web UI and JSON API listen; port 0 binds a free port, see <see cref="ExplorerHost.Url"/>. https://
    /// addresses need <see cref="TlsCertificatePath"/>; http:// ones are refused unless <see cref="Insecure"/>.
    /// </summary>
    public string Urls { get; init; } = "https://127.0.0.1:8080";

    /// <summary>The explorer's TLS certificate and key (PEM), e.g. from the consortium's transport CA (explorer/tls.pem).</summary>
    public string? TlsCertificatePath { get; init; }

    public string? TlsKeyPath { get; init; }

    /// <summary>The consortium's transport CA (transport-ca.pem), pinned for the node connection; null: the system store.</summary>
    public string? TransportCaPath { get; init; }

    /// <summary>Plaintext HTTP for the pages and to the node, for debugging only (<c>ledger explorer --insecure</c>).</summary>
    public bool Insecure { get; init; }

    /// <summary>
    /// genesis.json of the consortium, read from disk, never from the node: the root CA that every proof the explorer
    /// vouches for must chain to, and the validators' names and regions. Without it, proofs are checked only against a
    /// genesis uploaded with them.
    /// </summary>
    public string? GenesisPath { get; init; }

    /// <summary>How many recent blocks the overview reads validators' seal shares and the tx rate from.</summary>
    public int RecentBlocks { get; init; } = 100;

    /// <summary>Caps on what a proof check may upload: proof.json, genesis.json, and the contract file itself.</summary>
    public long MaxProofBytes { get; init; } = 1024 * 1024;

    public long MaxGenesisBytes { get; init; } = 1024 * 1024;

    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long to wait before reconnecting to a node that went away.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The operator's certificate and key: every call to the node is signed with them (null: anonymous calls, public views only).</summary>
    public Ledger.Client.Access.CallerIdentity? Identity { get; init; }

    /// <summary>The staff accounts file (<c>ledger explorer account add</c>); null or missing: nobody can sign in, public pages only.</summary>
    public string? AccountsPath { get; init; }

    /// <summary>The bureau certificate and key verification reports are signed with (<c>--report-cert</c>); null: no reports.</summary>
    public Ledger.Reports.ReportIssuer? ReportIssuer { get; init; }

    /// <summary>The address the public reaches this explorer at (<c>--public-url</c>): the QR code of a report points there; null: no QR code.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>
    /// The analytics service (<c>ledger analytics</c>, <c>--analytics URL</c>) the bureau dashboard reads, called with
    /// <see cref="Identity"/> and the transport CA; null: no dashboard.
    /// </summary>
    public string? AnalyticsUrl { get; init; }

    /// <summary>Logging set-up; null logs warnings to the console.</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }
}
