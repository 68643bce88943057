using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Ledger.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.Network;

/// <summary>
/// Binds a generated gRPC service with request marshallers that refuse bytes protobuf cannot parse (a length prefix
/// past the end, an 11-byte varint, invalid UTF-8 in a string, a bad wire type) with INVALID_ARGUMENT and the ledger's
/// ErrorInfo, instead of Grpc.AspNetCore's UNKNOWN "Exception was thrown by handler" and a logged stack trace.
/// A unary or server-streaming request is parsed before any handler or interceptor runs, so its marshaller is the one
/// place where that can be caught; a streamed request (a peer's frames) fails the same way inside MoveNext.
/// Used from a service's own <c>[BindServiceMethod]</c> (see <see cref="PeerGrpcService"/>).
/// </summary>
public sealed class MalformedRequestBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Guard(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Guard(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Guard(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Guard(method), handler);

    /// <summary>The same method (type, service, name, response marshaller) with a request deserializer that refuses malformed bytes.</summary>
    public static Method<TRequest, TResponse> Guard<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(method);
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var messageType = typeof(TRequest).Name;
        var requests = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (Exception e) when (MalformedRequests.IsParseFailure(e))
            {
                throw MalformedRequests.Refuse(method.FullName, messageType, e);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller);
    }
}

/// <summary>How a request protobuf could not parse is answered: INVALID_ARGUMENT, an ErrorInfo, one log line.</summary>
public static class MalformedRequests
{
    /// <summary>The ErrorInfo domain of every ledger refusal (Ledger.Client's <c>LedgerErrorDetails.Domain</c>; tests check they agree).</summary>
    public const string Domain = "ledger.v1";

    /// <summary>The ErrorInfo metadata key holding the <see cref="ErrorCode"/> number (<c>LedgerErrorDetails.CodeKey</c>).</summary>
    public const string CodeKey = "code";

    /// <summary>The metadata key naming the gRPC method whose request was malformed.</summary>
    public const string MethodKey = "method";

    private static readonly HttpContextAccessor Http = new();

    /// <summary>What a generated parser throws on bad bytes (invalid UTF-8 may surface as the decoder's own exception).</summary>
    public static bool IsParseFailure(Exception e) => e is InvalidProtocolBufferException or DecoderFallbackException;

    /// <summary>The <see cref="ErrorCode"/> of a parse failure, from Google.Protobuf's (stable, documented) messages.</summary>
    public static ErrorCode CodeOf(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is DecoderFallbackException) return ErrorCode.InvalidFieldValue;
        var message = e.Message;
        if (message.Contains("truncated", StringComparison.OrdinalIgnoreCase) || message.Contains("ended unexpectedly", StringComparison.OrdinalIgnoreCase))
            return ErrorCode.Truncated;
        if (message.Contains("varint", StringComparison.OrdinalIgnoreCase)) return ErrorCode.MalformedVarint;
        if (message.Contains("wire type", StringComparison.OrdinalIgnoreCase)) return ErrorCode.WrongWireType;
        if (message.Contains("negative size", StringComparison.OrdinalIgnoreCase) || message.Contains("too large", StringComparison.OrdinalIgnoreCase)
            || message.Contains("nesting", StringComparison.OrdinalIgnoreCase))
            return ErrorCode.Oversize;
        return ErrorCode.InvalidFieldValue; // invalid UTF-8, tag zero, a mismatched end-group tag
    }

    /// <summary>
    /// The refusal of a malformed request to <paramref name="method"/>, logged as one warning line (method, caller, code,
    /// reason; never the bytes or a stack trace) on the serving host's logger when the call came through ASP.NET Core.
    /// </summary>
    public static RpcException Refuse(string method, string messageType, Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var code = CodeOf(e);
        var reason = e.Message.ReplaceLineEndings(" ");
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = $"malformed {messageType}: {reason}",
        };
        status.Details.Add(Any.Pack(new ErrorInfo
        {
            Domain = Domain,
            Reason = code.ToString(),
            Metadata =
            {
                [CodeKey] = ((int)code).ToString(CultureInfo.InvariantCulture),
                [MethodKey] = method,
            },
        }));
        status.Details.Add(Any.Pack(new BadRequest
        {
            FieldViolations = { new BadRequest.Types.FieldViolation { Field = messageType, Description = reason } },
        }));

        if (Http.HttpContext is { } http && http.RequestServices.GetService<ILoggerFactory>() is { } loggers)
        {
            loggers.CreateLogger(typeof(MalformedRequests).FullName!).LogWarning(
                "Malformed request refused: {Method} from {Remote}: {Code}: {Reason}",
                method, $"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}", code, reason);
        }
        return status.ToRpcException();
    }
}
