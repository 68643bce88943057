using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Ledger.Client;
using Ledger.Client.Access;
using Ledger.Core;

namespace Ledger.Signer.Grpc;

/// <summary>
/// Refusals as rich gRPC status, in the node's convention (Ledger.Node's GrpcErrors, which the signer may not
/// reference): an ErrorInfo in domain <see cref="LedgerErrorDetails.Domain"/> naming the <see cref="ErrorCode"/>, a
/// BadRequest for a malformed field, a RetryInfo when waiting helps (a locked key, the rate limit).
/// </summary>
public static class SignerErrors
{
    public static Code StatusFor(ErrorCode code) => code switch
    {
        ErrorCode.WrongPin or ErrorCode.KeyLocked or ErrorCode.NotAuthorised => Code.PermissionDenied,
        >= ErrorCode.ChallengeUnknown and <= ErrorCode.ChallengeMismatch => Code.PermissionDenied,
        ErrorCode.EnrolmentAuthorisationMalformed => Code.InvalidArgument,
        ErrorCode.CaUnavailable => Code.Unavailable,
        >= ErrorCode.EnrolmentAuthorisationMissing and <= ErrorCode.CaCallerNotAllowed => Code.PermissionDenied,
        // An operator certificate the CA process (or the signer, for an authorisation) does not accept.
        ErrorCode.UntrustedCertificate or ErrorCode.CertificateExpired or ErrorCode.CertificateNotYetValid or ErrorCode.CertificateRevoked
            or ErrorCode.WrongCertificateRole or ErrorCode.InvalidDivisionCode => Code.PermissionDenied,
        ErrorCode.HolderNotFound => Code.NotFound,
        ErrorCode.RateLimited or ErrorCode.Oversize => Code.ResourceExhausted,
        ErrorCode.KeyStoreTampered or ErrorCode.AuditLogTampered or ErrorCode.AuditAnchorMismatch => Code.DataLoss,
        >= ErrorCode.Truncated and <= ErrorCode.TrailingBytes => Code.InvalidArgument,
        ErrorCode.WeakPin or ErrorCode.WrongChainId or ErrorCode.InvalidContractId or ErrorCode.InvalidCreditCode
            or ErrorCode.InvalidCertificate or ErrorCode.InvalidSignatureEncoding or ErrorCode.InvalidPublicKey => Code.InvalidArgument,
        ErrorCode.Ok => throw new ArgumentException("Ok is not a refusal", nameof(code)),
        _ => Code.FailedPrecondition,
    };

    public static RpcException Refused(LedgerException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is CallRefusedException call)
            return call.Refusal switch
            {
                CallRefusal.Unauthenticated => Build(Code.Unauthenticated, e.Message, Info(e.Code)),
                CallRefusal.PermissionDenied => Build(Code.PermissionDenied, e.Message, Info(e.Code)),
                _ => Build(Code.ResourceExhausted, e.Message, Info(e.Code), Retry(TimeSpan.FromSeconds(1))),
            };
        return e is KeyLockedException locked
            ? Build(StatusFor(e.Code), e.Message, Info(e.Code), Retry(locked.RetryAfter))
            : Build(StatusFor(e.Code), e.Message, Info(e.Code));
    }

    public static RpcException RateLimited(TimeSpan retryAfter) =>
        Build(Code.ResourceExhausted, "too many calls from this client; slow down", Info(ErrorCode.RateLimited), Retry(retryAfter));

    public static RpcException BadField(string field, ErrorCode code, string description) =>
        Build(Code.InvalidArgument, $"{field}: {description}", Info(code),
            new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } });

    public static RpcException DeadlineExceeded(TimeSpan timeout) =>
        Build(Code.DeadlineExceeded, $"the call took longer than the signer's {timeout.TotalSeconds:0} s deadline");

    private static ErrorInfo Info(ErrorCode code) => new()
    {
        Domain = LedgerErrorDetails.Domain,
        Reason = code.ToString(),
        Metadata = { [LedgerErrorDetails.CodeKey] = ((int)code).ToString(CultureInfo.InvariantCulture) },
    };

    private static RetryInfo Retry(TimeSpan after) => new() { RetryDelay = Duration.FromTimeSpan(after < TimeSpan.Zero ? TimeSpan.Zero : after) };

    private static RpcException Build(Code code, string message, params Google.Protobuf.IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details) status.Details.Add(Any.Pack(detail));
        return status.ToRpcException();
    }
}
