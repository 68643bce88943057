using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Client.Signer;

/// <summary>
/// An operator's authorisation of one enrolment (<c>EnrolmentAuthorisation</c> in signer_service.proto): the operator's
/// side builds and signs it (<see cref="Sign"/>), the city's CA process checks it against the enrolment it is asked to
/// certify. What is signed is the domain-prefixed encoding as sent, never re-encoded. The enrolment's subject is hashed
/// (<see cref="PersonSubject"/>, <see cref="OrganisationSubject"/>): the authorisation itself carries no ID number.
/// </summary>
public static class EnrolmentAuthorisations
{
    public const int NonceSize = 16;

    private static ReadOnlySpan<byte> Domain => "ledger/enrolment-authorisation/v1\n"u8;

    private const string SubjectDomain = "ledger/enrolment-subject/v1\n";

    /// <summary>The message an operator signs: the domain, then the authorisation's bytes.</summary>
    public static byte[] SigningMessage(ReadOnlySpan<byte> authorisation)
    {
        var message = new byte[Domain.Length + authorisation.Length];
        Domain.CopyTo(message);
        authorisation.CopyTo(message.AsSpan(Domain.Length));
        return message;
    }

    /// <summary>A worker's subject: the ID number in its canonical form (as given when it is not a valid one: the CA refuses that).</summary>
    public static Hash32 PersonSubject(string idNumber)
    {
        var value = (idNumber ?? "").Trim().ToUpperInvariant();
        var bytes = Encoding.UTF8.GetBytes(SubjectDomain + "person\n" + value);
        try
        {
            return Sm3.Hash(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    /// <summary>An employer's subject: its credit code (canonical when valid) and its registered name, exactly as certified.</summary>
    public static Hash32 OrganisationSubject(string creditCode, string organisationName)
    {
        var code = CreditCode.TryParse(creditCode, out var parsed) ? parsed.Value : creditCode ?? "";
        return Sm3.Hash(Encoding.UTF8.GetBytes(SubjectDomain + "organisation\n" + code + "\n" + (organisationName ?? "")));
    }

    /// <summary>The operator's signed authorisation of enrolling <paramref name="holderPublicKey"/> as <paramref name="subject"/> in <paramref name="city"/>, now.</summary>
    public static Rpc.SignedEnrolmentAuthorisation Sign(CallerIdentity operatorIdentity, Rpc.HolderKind kind, Hash32 subject, ReadOnlySpan<byte> holderPublicKey, string city,
        DateTimeOffset time, byte[]? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(operatorIdentity);
        var authorisation = new Rpc.EnrolmentAuthorisation
        {
            Kind = kind,
            SubjectHash = ByteString.CopyFrom(subject.ToArray()),
            HolderPublicKey = ByteString.CopyFrom(holderPublicKey),
            City = city,
            Time = time.ToUnixTimeMilliseconds(),
            Nonce = ByteString.CopyFrom(nonce ?? RandomNumberGenerator.GetBytes(NonceSize)),
        }.ToByteArray();
        return new Rpc.SignedEnrolmentAuthorisation
        {
            Authorisation = ByteString.CopyFrom(authorisation),
            OperatorCertificate = ByteString.CopyFrom(operatorIdentity.Certificate.Der),
            Signature = ByteString.CopyFrom(operatorIdentity.Key.Sign(SigningMessage(authorisation))),
        };
    }
}
