using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Ledger.Core;
using Ledger.Proto.V1;

namespace Ledger.Client.Tests;

/// <summary>The SDK honours a full pool's RESOURCE_EXHAUSTED retry hint (google.rpc.RetryInfo) within its budget.</summary>
public class SubmitRetryTests
{
    /// <summary>Refuses the first <paramref name="refusals"/> Submit calls with a full pool and a hint, then admits.</summary>
    private sealed class FullPoolInvoker(int refusals, TimeSpan hint) : CallInvoker
    {
        public int Calls;

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        {
            if (++Calls <= refusals)
            {
                var status = new Google.Rpc.Status { Code = (int)Code.ResourceExhausted, Message = "the pool holds what the chain commits in 10 s" };
                status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new ErrorInfo { Domain = LedgerErrorDetails.Domain, Reason = nameof(ErrorCode.MempoolFull), Metadata = { ["code"] = ((int)ErrorCode.MempoolFull).ToString(System.Globalization.CultureInfo.InvariantCulture) } }));
                status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new RetryInfo { RetryDelay = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(hint) }));
                var failure = status.ToRpcException();
                return new(Task.FromException<TResponse>(failure), Task.FromResult(new Metadata()), () => failure.Status, () => failure.Trailers, () => { });
            }
            var response = (TResponse)(object)new SubmitResponse { TxId = ByteString.CopyFrom(new byte[32]) };
            return new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Grpc.Core.Status.DefaultSuccess, () => new Metadata(), () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();
        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();
        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();
        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();
    }

    [Test, CancelAfter(10_000)]
    public async Task A_full_pool_is_retried_after_its_hint_until_admitted()
    {
        var invoker = new FullPoolInvoker(refusals: 2, TimeSpan.FromMilliseconds(50));
        using var client = new LedgerClient(invoker);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var id = await client.SubmitAsync(new byte[] { 1 });

        Assert.That(id, Is.EqualTo(new Hash32(new byte[32])));
        Assert.That(invoker.Calls, Is.EqualTo(3));
        Assert.That(client.SubmitRetries, Is.EqualTo(2));
        Assert.That(System.Diagnostics.Stopwatch.GetElapsedTime(started), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(100)), "it waited the hint each time");
    }

    [Test, CancelAfter(10_000)]
    public async Task Past_its_budget_the_refusal_reaches_the_caller_with_the_hint()
    {
        var invoker = new FullPoolInvoker(refusals: int.MaxValue, TimeSpan.FromSeconds(2));
        using var client = new LedgerClient(invoker, new LedgerClientOptions { SubmitRetryBudget = TimeSpan.FromSeconds(1) });

        var e = await Assert.ThrowsAsync<LedgerClientException>(async () => await client.SubmitAsync(new byte[] { 1 }));

        Assert.That(e!.Code, Is.EqualTo(ErrorCode.MempoolFull));
        Assert.That(e.Status, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(e.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(invoker.Calls, Is.EqualTo(1), "a hint beyond the budget is not waited for");
        Assert.That(client.SubmitRetries, Is.Zero);
    }
}
