using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Node.Grpc;

namespace Ledger.Node.Access;

/// <summary>
/// Checks a call's credentials (<see cref="CallAuthentication"/>): a time within the window of this node's clock, a
/// certificate that chains to the genesis root and is neither expired nor revoked now, an SM2 signature by its key
/// over method, request, time, nonce and access record, and a nonce this certificate has not used within the window.
/// No credentials at all is an anonymous call (null); anything else wrong is UNAUTHENTICATED with the reason.
/// Thread-safe.
/// </summary>
public sealed class CallAuthenticator
{
    private const int MaxCachedCertificates = 10_000;

    private readonly CertificateChainValidator _chain;
    private readonly TimeProvider _time;
    private readonly int _maxNonces;
    private readonly ConcurrentDictionary<Hash32, LedgerCertificate> _certificates = new();
    private readonly ConcurrentDictionary<(Hash32 Certificate, UInt128 Nonce), long> _nonces = new();
    private long _nextPurge;

    public CallAuthenticator(CertificateChainValidator chain, TimeProvider? time = null, int maxNonces = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
        _time = time ?? TimeProvider.System;
        _maxNonces = maxNonces;
    }

    /// <summary>Nonces remembered now (for tests and metrics).</summary>
    public int RememberedNonces => _nonces.Count;

    public Caller? Authenticate(string method, ReadOnlySpan<byte> request, Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(headers);
        var certificateDer = headers.Get(CallAuthentication.CertificateHeader);
        var timeText = headers.Get(CallAuthentication.TimeHeader);
        var nonce = headers.Get(CallAuthentication.NonceHeader);
        var signature = headers.Get(CallAuthentication.SignatureHeader);
        var accessRecord = headers.Get(CallAuthentication.AccessRecordHeader);
        if (certificateDer is null && timeText is null && nonce is null && signature is null)
        {
            if (accessRecord is not null)
                throw Unauthenticated(ErrorCode.CallerCredentialsMissing, "an access record is presented by an authenticated caller: sign the call");
            return null;
        }
        if (certificateDer is null || timeText is null || nonce is null || signature is null)
            throw Unauthenticated(ErrorCode.CallerCredentialsMalformed, "a signed call carries certificate, time, nonce and signature together");
        if (!certificateDer.IsBinary || !nonce.IsBinary || !signature.IsBinary || timeText.IsBinary)
            throw Unauthenticated(ErrorCode.CallerCredentialsMalformed, "certificate, nonce and signature are binary (-bin) entries, time is text");
        if (nonce.ValueBytes.Length != CallAuthentication.NonceSize)
            throw Unauthenticated(ErrorCode.CallerCredentialsMalformed, $"the nonce is {CallAuthentication.NonceSize} bytes");
        if (!long.TryParse(timeText.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var time))
            throw Unauthenticated(ErrorCode.CallerCredentialsMalformed, "the time is unix milliseconds in decimal");

        var now = _time.GetUtcNow();
        var skew = Math.Abs(now.ToUnixTimeMilliseconds() - time);
        if (skew > CallAuthentication.Window.TotalMilliseconds)
            throw Unauthenticated(ErrorCode.CallerTimeOutsideWindow,
                string.Create(CultureInfo.InvariantCulture, $"the call's time is {skew / 1000} s from the node's clock, at most {CallAuthentication.Window.TotalSeconds:0} s"));

        var certificate = Parse(certificateDer.ValueBytes);
        if (certificate.Role is Role.RootCa or Role.IntermediateCa)
            throw Unauthenticated(ErrorCode.CallerCertificateRejected, "a CA certificate does not make calls");
        var chain = _chain.Validate(certificate, now);
        if (!chain.IsValid) throw Unauthenticated(chain.Code, $"caller certificate: {chain.Reason}");

        var accessBytes = accessRecord is null ? [] : accessRecord.IsBinary ? accessRecord.ValueBytes
            : throw Unauthenticated(ErrorCode.CallerCredentialsMalformed, "the access record is a binary (-bin) entry");
        var signed = CallAuthentication.SigningMessage(method, request, time, nonce.ValueBytes, accessBytes);
        if (!certificate.PublicKey.Verify(signed, signature.ValueBytes))
            throw Unauthenticated(ErrorCode.CallerSignatureInvalid, "the call's signature does not verify under the certificate's key");

        Remember(certificate.Id, nonce.ValueBytes, now.ToUnixTimeMilliseconds());
        return Caller.Of(certificate, accessBytes);
    }

    private LedgerCertificate Parse(byte[] der)
    {
        var id = Sm3.Hash(der);
        if (_certificates.TryGetValue(id, out var cached)) return cached;
        LedgerCertificate certificate;
        try
        {
            certificate = LedgerCertificate.FromDer(der);
        }
        catch (LedgerException e)
        {
            throw Unauthenticated(ErrorCode.CallerCertificateRejected, $"caller certificate: {e.Code}: {e.Message}");
        }
        if (_certificates.Count >= MaxCachedCertificates) _certificates.Clear();
        _certificates.TryAdd(id, certificate);
        return certificate;
    }

    private void Remember(Hash32 certificate, byte[] nonce, long now)
    {
        var key = (certificate, System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(nonce));
        // Kept for twice the window: a call dated up to one window ahead stays refusable until it could no longer pass.
        var forgetAt = now + 2 * (long)CallAuthentication.Window.TotalMilliseconds;
        if (Interlocked.Read(ref _nextPurge) <= now || _nonces.Count >= _maxNonces) Purge(now);
        if (_nonces.Count >= _maxNonces)
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "too many signed calls within the window; retry shortly"));
        if (!_nonces.TryAdd(key, forgetAt))
            throw Unauthenticated(ErrorCode.CallerNonceReused, "this certificate already used this nonce within the window (a replayed call)");
    }

    private void Purge(long now)
    {
        Interlocked.Exchange(ref _nextPurge, now + 10_000);
        foreach (var entry in _nonces)
            if (entry.Value <= now) _nonces.TryRemove(entry.Key, out _);
    }

    private static RpcException Unauthenticated(ErrorCode code, string message) => GrpcErrors.Unauthenticated(code, message);
}
