using Grpc.Core;
using Ledger.Core;

namespace Ledger.Client;

/// <summary>
/// A node refused a call or could not be reached. <see cref="Code"/> is the ledger's typed reason when the node
/// gave one (from the status details), <see cref="Status"/> the gRPC status code.
/// </summary>
public sealed class LedgerClientException : Exception
{
    public LedgerClientException(StatusCode status, ErrorCode? code, string message, Exception? inner = null) : base(message, inner)
    {
        Status = status;
        Code = code;
    }

    public StatusCode Status { get; }

    public ErrorCode? Code { get; }

    /// <summary>When the node asked to be called again (google.rpc.RetryInfo): with RESOURCE_EXHAUSTED from a full pool.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The name a person or a script matches on: the ErrorCode when there is one, else the gRPC status.</summary>
    public string ReasonName => Code?.ToString() ?? Status.ToString();
}
