using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Ledger.Node.Access;

/// <summary>
/// Authenticates every unary and server-streaming call on the node's gRPC port before its service runs, and leaves
/// the caller (or null, anonymous) in <see cref="CallerContext"/>. The peer service's block fetch is for validators
/// and observers only; its Connect stream (a duplex call) authenticates with its own SM2 handshake and passes here
/// untouched.
/// </summary>
public sealed class AuthenticationInterceptor(CallAuthenticator authenticator, ReadPolicy policy) : Interceptor
{
    public const string PeerGetBlocksMethod = "/ledger.v1.PeerService/GetBlocks";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(request, context);
        if (context.Method == PeerGetBlocksMethod) policy.RequireWholeBlocks(CallerContext.Of(context), "fetching blocks from a peer");
        return continuation(request, responseStream, context);
    }

    private void Authenticate<TRequest>(TRequest request, ServerCallContext context)
    {
        var bytes = request is IMessage message ? message.ToByteArray() : [];
        CallerContext.Set(context, authenticator.Authenticate(context.Method, bytes, context.RequestHeaders));
    }
}
