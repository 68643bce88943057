using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Ledger.Node.Access;

namespace Ledger.Cli.Analytics;

/// <summary>Authenticates every unary call with the node's <see cref="CallAuthenticator"/> and leaves the caller in <see cref="CallerContext"/>.</summary>
public sealed class AuthenticatingInterceptor(CallAuthenticator authenticator) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var bytes = request is IMessage message ? message.ToByteArray() : [];
        CallerContext.Set(context, authenticator.Authenticate(context.Method, bytes, context.RequestHeaders));
        return continuation(request, context);
    }
}
