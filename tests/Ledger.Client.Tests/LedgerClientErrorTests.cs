using System.Globalization;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Ledger.Core;
using Ledger.Crypto;

namespace Ledger.Client.Tests;

/// <summary>How the SDK reads a node's google.rpc.Status: the ErrorCode from the ErrorInfo, not-found as null.</summary>
public class LedgerClientErrorTests
{
    /// <summary>A transport that answers every unary call with the given failure.</summary>
    private sealed class FailingInvoker(RpcException failure) : CallInvoker
    {
        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw failure;

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            new(Task.FromException<TResponse>(failure), Task.FromResult(new Metadata()), () => failure.Status, () => failure.Trailers, () => { });

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw failure;

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw failure;

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw failure;
    }

    private static RpcException Failure(Code code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details) status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(detail));
        return status.ToRpcException();
    }

    private static ErrorInfo Info(ErrorCode code, string? domain = null) => new()
    {
        Domain = domain ?? LedgerErrorDetails.Domain,
        Reason = code.ToString(),
        Metadata = { ["code"] = ((int)code).ToString(CultureInfo.InvariantCulture) },
    };

    [TestCase(ErrorCode.InvalidSignature, Code.FailedPrecondition)]
    [TestCase(ErrorCode.MempoolFull, Code.ResourceExhausted)]
    [TestCase(ErrorCode.DuplicateTransaction, Code.AlreadyExists)]
    [TestCase(ErrorCode.Truncated, Code.InvalidArgument)]
    public async Task A_refusal_carries_its_ErrorCode_and_status(ErrorCode code, Code status)
    {
        using var client = new LedgerClient(new FailingInvoker(Failure(status, "refused", Info(code))));

        var e = await Assert.ThrowsAsync<LedgerClientException>(async () => await client.SubmitAsync(new byte[] { 1 }));

        Assert.That(e!.Code, Is.EqualTo(code));
        Assert.That((int)e.Status, Is.EqualTo((int)status));
        Assert.That(e.ReasonName, Is.EqualTo(code.ToString()));
        Assert.That(e.Message, Does.StartWith(code + ": refused"));
    }

    [Test]
    public async Task The_number_wins_over_the_name_and_other_domains_are_ignored()
    {
        var mislabelled = Info(ErrorCode.Expired);
        mislabelled.Reason = "SomethingElse";
        using var numbered = new LedgerClient(new FailingInvoker(Failure(Code.FailedPrecondition, "x", mislabelled)));
        using var foreign = new LedgerClient(new FailingInvoker(Failure(Code.FailedPrecondition, "x", Info(ErrorCode.Expired, "example.com"))));

        Assert.That((await Assert.ThrowsAsync<LedgerClientException>(async () => await numbered.SubmitAsync(new byte[] { 1 })))!.Code, Is.EqualTo(ErrorCode.Expired));
        Assert.That((await Assert.ThrowsAsync<LedgerClientException>(async () => await foreign.SubmitAsync(new byte[] { 1 })))!.Code, Is.Null);
    }

    [Test]
    public async Task A_field_violation_is_part_of_the_message()
    {
        var badRequest = new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "tx_id", Description = "a hash is 32 bytes" } } };
        using var client = new LedgerClient(new FailingInvoker(Failure(Code.InvalidArgument, "bad", Info(ErrorCode.InvalidFieldValue), badRequest)));

        var e = await Assert.ThrowsAsync<LedgerClientException>(async () => await client.WaitForCommitAsync(Sm3.Hash([]), TimeSpan.FromSeconds(1)));

        Assert.That(e!.Message, Does.Contain("tx_id: a hash is 32 bytes"));
    }

    [Test]
    public async Task Not_found_is_null_and_other_failures_throw()
    {
        using var missing = new LedgerClient(new FailingInvoker(Failure(Code.NotFound, "no such tx")));
        using var down = new LedgerClient(new FailingInvoker(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused"))));

        Assert.That(await missing.GetTransactionAsync(Sm3.Hash([])), Is.Null);
        Assert.That(await missing.GetEvidenceAsync(Sm3.Hash([])), Is.Null);
        var e = await Assert.ThrowsAsync<LedgerClientException>(async () => await down.GetTransactionAsync(Sm3.Hash([])));
        Assert.That(e!.Status, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(e.Code, Is.Null);
        Assert.That(e.ReasonName, Is.EqualTo("Unavailable"));
    }

    [Test]
    public void Connect_refuses_an_address_that_is_not_http()
    {
        Assert.That(Assert.Throws<LedgerException>(() => LedgerClient.Connect("127.0.0.1:7600"))!.Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
    }
}
