using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Ledger.Core;

namespace Ledger.Client;

/// <summary>Reads the typed reason out of a failed call's <c>google.rpc.Status</c> details.</summary>
internal static class RpcErrors
{
    public static LedgerClientException ToClientException(RpcException e)
    {
        var code = ErrorCodeOf(e);
        var message = e.Status.Detail;
        if (string.IsNullOrEmpty(message)) message = e.StatusCode.ToString();
        var violations = e.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations;
        if (violations is { Count: > 0 })
            message += " (" + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")) + ")";
        return new LedgerClientException(e.StatusCode, code, code is { } c ? $"{c}: {message}" : $"{e.StatusCode}: {message}", e) { RetryAfter = RetryAfterOf(e) };
    }

    /// <summary>The node's hint of when to try again (google.rpc.RetryInfo), given with RESOURCE_EXHAUSTED by a full pool.</summary>
    public static TimeSpan? RetryAfterOf(RpcException e)
    {
        var delay = e.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay;
        if (delay is null) return null;
        var after = delay.ToTimeSpan();
        return after > TimeSpan.Zero ? after : null;
    }

    public static ErrorCode? ErrorCodeOf(RpcException e)
    {
        var info = e.GetRpcStatus()?.GetDetail<ErrorInfo>();
        if (info is null || info.Domain != LedgerErrorDetails.Domain) return null;
        // The number is authoritative; the reason is its name for people and for other languages.
        if (info.Metadata.TryGetValue(LedgerErrorDetails.CodeKey, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && Enum.IsDefined((ErrorCode)number))
            return (ErrorCode)number;
        return Enum.TryParse<ErrorCode>(info.Reason, ignoreCase: false, out var named) && Enum.IsDefined(named) ? named : null;
    }
}
