using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Ledger.Client.Access;

/// <summary>
/// Signs every unary and server-streaming call with the caller's identity (<see cref="CallAuthentication"/>):
/// certificate, time, a fresh nonce and the SM2 signature over method, SM3 of the request bytes, time, nonce and
/// any access record already in the call's headers. Streaming calls from the client side (the peer Connect stream)
/// authenticate themselves and pass through untouched.
/// </summary>
public sealed class CallSigningInterceptor : Interceptor
{
    private readonly TimeProvider _clock;
    private readonly Func<CallerIdentity> _identity;

    public CallSigningInterceptor(CallerIdentity identity, TimeProvider? clock = null)
        : this(() => identity, clock)
    {
    }

    /// <summary>Signs each call with the identity <paramref name="identity"/> gives at the time (a validator re-certified by vote changes it).</summary>
    public CallSigningInterceptor(Func<CallerIdentity> identity, TimeProvider? clock = null)
    {
        _identity = identity;
        _clock = clock ?? TimeProvider.System;
    }

    public CallerIdentity Identity => _identity();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Signed(request, context));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Signed(request, context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Signed(request, context));

    private ClientInterceptorContext<TRequest, TResponse> Signed<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class where TResponse : class
    {
        var requestBytes = request is IMessage message ? message.ToByteArray() : [];
        var headers = new Metadata();
        var accessRecord = ReadOnlySpan<byte>.Empty;
        if (context.Options.Headers is { } existing)
        {
            foreach (var entry in existing)
            {
                if (entry.Key is CallAuthentication.CertificateHeader or CallAuthentication.TimeHeader or CallAuthentication.NonceHeader or CallAuthentication.SignatureHeader)
                    continue;
                headers.Add(entry);
                if (entry.Key == CallAuthentication.AccessRecordHeader) accessRecord = entry.ValueBytes;
            }
        }
        var time = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var nonce = RandomNumberGenerator.GetBytes(CallAuthentication.NonceSize);
        var signed = CallAuthentication.SigningMessage(context.Method.FullName, requestBytes, time, nonce, accessRecord);
        var identity = _identity();
        headers.Add(CallAuthentication.CertificateHeader, identity.Certificate.Der);
        headers.Add(CallAuthentication.TimeHeader, time.ToString(CultureInfo.InvariantCulture));
        headers.Add(CallAuthentication.NonceHeader, nonce);
        headers.Add(CallAuthentication.SignatureHeader, identity.Key.Sign(signed));
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
