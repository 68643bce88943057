using Grpc.Core;
using Ledger.Client.Access;
using Ledger.Crypto.Certificates;
using Ledger.Node.Grpc;

namespace Ledger.Node.Access;

/// <summary>
/// The node's adapter over <see cref="SignedCallVerifier"/> (the one implementation of the signed-call checks, shared with
/// the signer): the trust check is a chain to the genesis root, neither expired nor revoked at the time of the call. No
/// credentials at all is an anonymous call (null); anything else wrong is UNAUTHENTICATED with the reason, and a full
/// nonce cache RESOURCE_EXHAUSTED. Thread-safe.
/// </summary>
public sealed class CallAuthenticator
{
    private readonly SignedCallVerifier _verifier;

    public CallAuthenticator(CertificateChainValidator chain, TimeProvider? time = null, int maxNonces = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _verifier = new SignedCallVerifier(chain.Validate, time, maxNonces, "node");
    }

    /// <summary>Nonces remembered now (for tests and metrics).</summary>
    public int RememberedNonces => _verifier.RememberedNonces;

    public Caller? Authenticate(string method, ReadOnlySpan<byte> request, Metadata headers)
    {
        try
        {
            return _verifier.Verify(method, request, headers) is { } call ? Caller.Of(call.Certificate, call.AccessRecord) : null;
        }
        catch (CallRefusedException e) when (e.Refusal == CallRefusal.Overloaded)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, e.Message));
        }
        catch (CallRefusedException e)
        {
            throw GrpcErrors.Unauthenticated(e.Code, e.Message);
        }
    }
}
