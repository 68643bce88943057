using System.Buffers.Binary;
using System.Text;
using Ledger.Crypto;

namespace Ledger.Client.Access;

/// <summary>
/// The authenticated-call format (ledger_service.proto): the metadata a caller sends and the exact bytes it signs,
/// <c>"ledger/v1/call\n" ‖ u32be(len(method)) ‖ method ‖ SM3(request) ‖ i64be(time) ‖ nonce ‖ SM3(access record)</c>.
/// One definition for the SDK that signs and the node that checks.
/// </summary>
public static class CallAuthentication
{
    public const string CertificateHeader = "x-ledger-certificate-bin";
    public const string TimeHeader = "x-ledger-time";
    public const string NonceHeader = "x-ledger-nonce-bin";
    public const string SignatureHeader = "x-ledger-signature-bin";
    public const string AccessRecordHeader = "x-ledger-access-record-bin";

    public const int NonceSize = 16;

    /// <summary>How far a call's time may lie from the node's clock, either way.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("ledger/v1/call\n");

    public static byte[] SigningMessage(string method, ReadOnlySpan<byte> request, long unixMs, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> accessRecord)
    {
        ArgumentNullException.ThrowIfNull(method);
        var methodBytes = Encoding.UTF8.GetBytes(method);
        var message = new byte[Domain.Length + 4 + methodBytes.Length + 32 + 8 + nonce.Length + 32];
        var span = message.AsSpan();
        Domain.CopyTo(span);
        var at = Domain.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)methodBytes.Length);
        at += 4;
        methodBytes.CopyTo(span[at..]);
        at += methodBytes.Length;
        Sm3.Hash(request).CopyTo(span[at..]);
        at += 32;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], unixMs);
        at += 8;
        nonce.CopyTo(span[at..]);
        at += nonce.Length;
        Sm3.Hash(accessRecord).CopyTo(span[at..]);
        return message;
    }
}
