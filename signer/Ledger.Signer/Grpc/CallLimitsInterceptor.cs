using Grpc.Core;
using Grpc.Core.Interceptors;
using Ledger.Core;

namespace Ledger.Signer.Grpc;

/// <summary>
/// Every call to the signer passes here: the per-client rate limit (RESOURCE_EXHAUSTED with a RetryInfo), the
/// server's own deadline (DEADLINE_EXCEEDED; the client's deadline, if shorter, cancels the call anyway), and the
/// mapping of a <see cref="LedgerException"/> to its typed status. (Message size is capped by the gRPC options.)
/// </summary>
public sealed class CallLimitsInterceptor(TokenBucketLimiter limiter, SignerService service, TimeSpan timeout) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!limiter.TryTake(TokenBucketLimiter.ClientOf(context.Peer), out var retryAfter))
        {
            service.Metrics.RateLimited();
            throw SignerErrors.RateLimited(retryAfter);
        }
        Task<TResponse> call;
        try
        {
            call = continuation(request, context);
        }
        catch (LedgerException e)
        {
            throw SignerErrors.Refused(e);
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var finished = await Task.WhenAny(call, Task.Delay(timeout, timer.Token)).ConfigureAwait(false);
        if (finished != call)
        {
            if (context.CancellationToken.IsCancellationRequested) throw new RpcException(new Status(StatusCode.Cancelled, "the client cancelled the call"));
            throw SignerErrors.DeadlineExceeded(timeout);
        }
        await timer.CancelAsync().ConfigureAwait(false);
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (LedgerException e)
        {
            throw SignerErrors.Refused(e);
        }
    }
}
