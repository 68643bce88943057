using System.Security.Cryptography.X509Certificates;
using Ledger.Crypto.Transport;

namespace Ledger.Client;

/// <summary>How the SDK talks to a node.</summary>
public sealed record LedgerClientOptions
{
    /// <summary>A block can be 16 MiB (EncodingLimits.MaxBlockBytes); it and its envelope must fit.</summary>
    public int MaxReceiveMessageSize { get; init; } = 20 * 1024 * 1024;

    /// <summary>The deadline of each unary call; WaitForCommit adds its own timeout to it.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <see cref="LedgerClient.SubmitAsync(ReadOnlyMemory{byte}, CancellationToken)"/> keeps trying a tx the node
    /// refused with RESOURCE_EXHAUSTED and a retry hint (its pool holds what the chain can commit soon): it waits the hint
    /// (plus up to a fifth, so refused clients do not return together) and submits again, until this much time has passed.
    /// Zero: the refusal goes straight to the caller.
    /// </summary>
    public TimeSpan SubmitRetryBudget { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Who the client's calls are signed as; null calls anonymously (submit, public views, block headers only).</summary>
    public Access.CallerIdentity? Identity { get; init; }
    /// <summary>
    /// The consortium's transport CA (transport-ca.pem, <see cref="TransportTrust.Load"/>): an https node's certificate
    /// must chain to it, and to nothing else. Null: the operating system's trust store (e.g. behind a TLCP gateway
    /// with a publicly trusted certificate).
    /// </summary>
    public TransportTrust? TransportCa { get; init; }

    /// <summary>A transport client certificate to present (mutual TLS), from the same CA; most clients need none.</summary>
    public X509Certificate2? ClientCertificate { get; init; }
}
