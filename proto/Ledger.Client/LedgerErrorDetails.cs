namespace Ledger.Client;

/// <summary>
/// How a node names a refusal in <c>google.rpc.Status</c> details, so clients in any language can read it: an
/// <c>ErrorInfo</c> in <see cref="Domain"/> whose reason is the <c>ErrorCode</c> name and whose metadata
/// <see cref="CodeKey"/> holds its number.
/// </summary>
public static class LedgerErrorDetails
{
    public const string Domain = "ledger.v1";
    public const string CodeKey = "code";

    /// <summary>The typed reason of a failed call, or null when its status carries none (a transport failure).</summary>
    public static Core.ErrorCode? CodeOf(Grpc.Core.RpcException e) => RpcErrors.ErrorCodeOf(e);
}
