using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Ledger.Client;
using Ledger.Core;

namespace Ledger.Node.Grpc;

/// <summary>
/// Refusals as rich gRPC status (google.rpc.Status): an ErrorInfo naming the <see cref="ErrorCode"/> (reason = name,
/// metadata "code" = number), a BadRequest for a malformed field, a ResourceInfo for an unknown id.
/// </summary>
public static class GrpcErrors
{
    /// <summary>The status code a refusal travels with: malformed input, duplicate, full pool, or a well-formed tx refused.</summary>
    public static Code StatusFor(ErrorCode code) => code switch
    {
        >= ErrorCode.Truncated and <= ErrorCode.TrailingBytes => Code.InvalidArgument,
        ErrorCode.UnknownPayload or ErrorCode.TooManyEndorsements => Code.InvalidArgument,
        ErrorCode.DuplicateTransaction => Code.AlreadyExists,
        ErrorCode.MempoolFull => Code.ResourceExhausted,
        ErrorCode.ContractNotFound or ErrorCode.UnknownTransaction or ErrorCode.UnknownBlock => Code.NotFound,
        ErrorCode.StorageCorrupt => Code.DataLoss,
        ErrorCode.StorageLocked or ErrorCode.JournalWriteFailed or ErrorCode.UpstreamUnavailable => Code.Unavailable,
        >= ErrorCode.CallerCredentialsMissing and <= ErrorCode.CallerCertificateRejected => Code.Unauthenticated,
        >= ErrorCode.ReadNotPermitted and <= ErrorCode.AccessRecordNotCommitted => Code.PermissionDenied,
        ErrorCode.Ok => throw new ArgumentException("Ok is not a refusal", nameof(code)),
        _ => Code.FailedPrecondition,
    };

    public static RpcException Refused(ValidationResult result) => Refused(result.Code, result.Reason ?? result.Code.ToString());

    public static RpcException Refused(ErrorCode code, string message) => Build(StatusFor(code), message, Info(code));

    /// <summary>
    /// A refusal to try again later (a full pool): RESOURCE_EXHAUSTED with the ErrorInfo and a google.rpc.RetryInfo
    /// whose retry_delay says when the chain should have made room.
    /// </summary>
    public static RpcException Refused(ValidationResult result, TimeSpan? retryAfter) =>
        retryAfter is not { } after
            ? Refused(result)
            : Build(StatusFor(result.Code), result.Reason ?? result.Code.ToString(), Info(result.Code),
                new RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(Math.Ceiling(after.TotalMilliseconds))) });

    /// <summary>A request field that is missing or malformed: INVALID_ARGUMENT with the field named in a BadRequest.</summary>
    public static RpcException BadField(string field, ErrorCode code, string description) =>
        Build(Code.InvalidArgument, $"{field}: {description}", Info(code),
            new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } });

    public static RpcException NotFound(string resourceType, string name, ErrorCode? code = null)
    {
        var details = new List<Google.Protobuf.IMessage> { new ResourceInfo { ResourceType = resourceType, ResourceName = name, Description = "not committed on this node" } };
        if (code is { } c) details.Insert(0, Info(c));
        return Build(Code.NotFound, $"no {resourceType} {name}", [.. details]);
    }

    /// <summary>The caller's credentials failed: UNAUTHENTICATED with the reason (a certificate's own code, such as CertificateRevoked, where it applies).</summary>
    public static RpcException Unauthenticated(ErrorCode code, string message) => Build(Code.Unauthenticated, message, Info(code));

    /// <summary>An authenticated caller asked for something outside its scope: PERMISSION_DENIED with the reason.</summary>
    public static RpcException PermissionDenied(ErrorCode code, string message) => Build(Code.PermissionDenied, message, Info(code));

    public static RpcException DeadlineExceeded(string message) => Build(Code.DeadlineExceeded, message);

    private static ErrorInfo Info(ErrorCode code) => new()
    {
        Domain = LedgerErrorDetails.Domain,
        Reason = code.ToString(),
        Metadata = { [LedgerErrorDetails.CodeKey] = ((int)code).ToString(CultureInfo.InvariantCulture) },
    };

    private static RpcException Build(Code code, string message, params Google.Protobuf.IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details) status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(detail));
        return status.ToRpcException();
    }
}
