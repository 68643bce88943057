using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Client.Access;

/// <summary>What a server answers when it refuses a signed call: who the caller is failed, what they may do failed, or it is too busy.</summary>
public enum CallRefusal
{
    /// <summary>The credentials do not prove who the caller is: malformed, a bad signature, a stale time, a replayed nonce, an untrusted, expired or revoked certificate.</summary>
    Unauthenticated,

    /// <summary>The caller is who they say, but their certificate's role is not one this call allows.</summary>
    PermissionDenied,

    /// <summary>Too many signed calls within the window to remember every nonce: retry shortly.</summary>
    Overloaded,
}

/// <summary>A signed call refused by <see cref="SignedCallVerifier"/>: the typed <see cref="LedgerException.Code"/> and how to answer it.</summary>
public sealed class CallRefusedException(ErrorCode code, CallRefusal refusal, string message) : LedgerException(code, message)
{
    public CallRefusal Refusal { get; } = refusal;
}

/// <summary>The credentials a signed call carries (<see cref="CallAuthentication"/>), as read from its headers.</summary>
public sealed record SignedCallCredentials(byte[] Certificate, string Time, byte[] Nonce, byte[] Signature, byte[] AccessRecord)
{
    /// <summary>
    /// The credentials in a gRPC call's headers; null when the call carries none (anonymous). Refuses a partial set, text where
    /// binary belongs (and the reverse), and an access record without a signature.
    /// </summary>
    public static SignedCallCredentials? FromMetadata(Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var certificate = headers.Get(CallAuthentication.CertificateHeader);
        var time = headers.Get(CallAuthentication.TimeHeader);
        var nonce = headers.Get(CallAuthentication.NonceHeader);
        var signature = headers.Get(CallAuthentication.SignatureHeader);
        var accessRecord = headers.Get(CallAuthentication.AccessRecordHeader);
        if (certificate is null && time is null && nonce is null && signature is null)
        {
            if (accessRecord is not null)
                throw SignedCallVerifier.Unauthenticated(ErrorCode.CallerCredentialsMissing, "an access record is presented by an authenticated caller: sign the call");
            return null;
        }
        if (certificate is null || time is null || nonce is null || signature is null)
            throw SignedCallVerifier.Unauthenticated(ErrorCode.CallerCredentialsMalformed, "a signed call carries certificate, time, nonce and signature together");
        if (!certificate.IsBinary || !nonce.IsBinary || !signature.IsBinary || time.IsBinary)
            throw SignedCallVerifier.Unauthenticated(ErrorCode.CallerCredentialsMalformed, "certificate, nonce and signature are binary (-bin) entries, time is text");
        var access = accessRecord is null ? [] : accessRecord.IsBinary ? accessRecord.ValueBytes
            : throw SignedCallVerifier.Unauthenticated(ErrorCode.CallerCredentialsMalformed, "the access record is a binary (-bin) entry");
        return new SignedCallCredentials(certificate.ValueBytes, time.Value, nonce.ValueBytes, signature.ValueBytes, access);
    }
}

/// <summary>A call whose credentials checked: the certificate whose key signed it and the access record it carried (empty if none).</summary>
public sealed record VerifiedCall(LedgerCertificate Certificate, ReadOnlyMemory<byte> AccessRecord);

/// <summary>
/// The server side of signed calls, for every service that takes them (the node, the analytics service, the signer):
/// a time within <see cref="CallAuthentication.Window"/> of this server's clock; a certificate that the server's trust check
/// accepts now (the node: a chain to the genesis root, unexpired, unrevoked; the signer: issued by its own city CA); no CA
/// certificate; a role among those the call allows, when it names any; an SM2 signature by the certificate's key over
/// method, SM3 of the request, time, nonce and access record; and a nonce this certificate has not used within the window.
/// Refusals are <see cref="CallRefusedException"/>s with the typed code; each host maps them to its transport's status.
/// Thread-safe.
/// </summary>
public sealed class SignedCallVerifier
{
    private const int MaxCachedCertificates = 10_000;

    private readonly Func<LedgerCertificate, DateTimeOffset, ValidationResult> _trust;
    private readonly TimeProvider _time;
    private readonly int _maxNonces;
    private readonly string _server;
    private readonly ConcurrentDictionary<Hash32, LedgerCertificate> _certificates = new();
    private readonly ConcurrentDictionary<(Hash32 Certificate, UInt128 Nonce), long> _nonces = new();
    private long _nextPurge;

    /// <param name="trust">whether a caller's certificate is trusted at a moment (chain, validity period, revocation)</param>
    /// <param name="time">this server's clock</param>
    /// <param name="maxNonces">the most nonces remembered at once; beyond it calls are refused as <see cref="CallRefusal.Overloaded"/></param>
    /// <param name="server">what this server calls itself in a refusal ("node", "signer")</param>
    public SignedCallVerifier(Func<LedgerCertificate, DateTimeOffset, ValidationResult> trust, TimeProvider? time = null, int maxNonces = 1_000_000, string server = "node")
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNonces, 1);
        _trust = trust;
        _time = time ?? TimeProvider.System;
        _maxNonces = maxNonces;
        _server = server;
    }

    /// <summary>Nonces remembered now (for tests and metrics).</summary>
    public int RememberedNonces => _nonces.Count;

    /// <summary>Checks a gRPC call's credentials; null for a call that carries none (anonymous: the caller decides whether that is allowed).</summary>
    public VerifiedCall? Verify(string method, ReadOnlySpan<byte> request, Metadata headers, IReadOnlySet<Role>? roles = null) =>
        SignedCallCredentials.FromMetadata(headers) is { } credentials ? Verify(method, request, credentials, roles) : null;

    /// <summary>Checks one call's credentials; <paramref name="roles"/>, when given, are the only certificate roles the call allows.</summary>
    public VerifiedCall Verify(string method, ReadOnlySpan<byte> request, SignedCallCredentials credentials, IReadOnlySet<Role>? roles = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Nonce.Length != CallAuthentication.NonceSize)
            throw Unauthenticated(ErrorCode.CallerCredentialsMalformed, $"the nonce is {CallAuthentication.NonceSize} bytes");
        if (!long.TryParse(credentials.Time, NumberStyles.None, CultureInfo.InvariantCulture, out var time))
            throw Unauthenticated(ErrorCode.CallerCredentialsMalformed, "the time is unix milliseconds in decimal");

        var now = _time.GetUtcNow();
        var skew = Math.Abs(now.ToUnixTimeMilliseconds() - time);
        if (skew > CallAuthentication.Window.TotalMilliseconds)
            throw Unauthenticated(ErrorCode.CallerTimeOutsideWindow,
                string.Create(CultureInfo.InvariantCulture, $"the call's time is {skew / 1000} s from the {_server}'s clock, at most {CallAuthentication.Window.TotalSeconds:0} s"));

        var certificate = Parse(credentials.Certificate);
        if (certificate.Role is Role.RootCa or Role.IntermediateCa)
            throw Unauthenticated(ErrorCode.CallerCertificateRejected, "a CA certificate does not make calls");
        var trusted = _trust(certificate, now);
        if (!trusted.IsValid) throw Unauthenticated(trusted.Code, $"caller certificate: {trusted.Reason}");

        var signed = CallAuthentication.SigningMessage(method, request, time, credentials.Nonce, credentials.AccessRecord);
        if (!certificate.PublicKey.Verify(signed, credentials.Signature))
            throw Unauthenticated(ErrorCode.CallerSignatureInvalid, "the call's signature does not verify under the certificate's key");

        // After the signature: only the key's holder learns whether their role fits, and a forged call spends no nonce.
        if (roles is not null && !roles.Contains(certificate.Role))
            throw new CallRefusedException(ErrorCode.WrongCertificateRole, CallRefusal.PermissionDenied,
                $"{method} takes a call signed by a {string.Join(" or ", roles.Order())} certificate; {certificate.CommonName} is a {certificate.Role} certificate");

        Remember(certificate.Id, credentials.Nonce, now.ToUnixTimeMilliseconds());
        return new VerifiedCall(certificate, credentials.AccessRecord);
    }

    internal static CallRefusedException Unauthenticated(ErrorCode code, string message) => new(code, CallRefusal.Unauthenticated, message);

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
        var key = (certificate, BinaryPrimitives.ReadUInt128BigEndian(nonce));
        // Kept for twice the window: a call dated up to one window ahead stays refusable until it could no longer pass.
        var forgetAt = now + 2 * (long)CallAuthentication.Window.TotalMilliseconds;
        if (Interlocked.Read(ref _nextPurge) <= now || _nonces.Count >= _maxNonces) Purge(now);
        if (_nonces.Count >= _maxNonces)
            throw new CallRefusedException(ErrorCode.RateLimited, CallRefusal.Overloaded, "too many signed calls within the window; retry shortly");
        if (!_nonces.TryAdd(key, forgetAt))
            throw Unauthenticated(ErrorCode.CallerNonceReused, "this certificate already used this nonce within the window (a replayed call)");
    }

    private void Purge(long now)
    {
        Interlocked.Exchange(ref _nextPurge, now + 10_000);
        foreach (var entry in _nonces)
            if (entry.Value <= now) _nonces.TryRemove(entry.Key, out _);
    }
}
