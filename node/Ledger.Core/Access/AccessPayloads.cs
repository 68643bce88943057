using System.Globalization;
using Ledger.Core.Transactions;

namespace Ledger.Core.Access;

/// <summary>
/// The access payloads' places in the <see cref="TxBody"/> oneof: <see cref="AccessRecordPayload"/> (40),
/// <see cref="AccessGrantPayload"/> (41), <see cref="GrantRevocationPayload"/> (42). None has a statement: the
/// submitter alone signs the body, and the chaincode judges the submitter's certificate.
/// </summary>
public static class AccessPayloads
{
    public const int AccessRecordField = 40;
    public const int AccessGrantField = 41;
    public const int GrantRevocationField = 42;

    /// <summary>Longest case number, inspection reference, purpose or on-behalf-of text, in UTF-8 bytes.</summary>
    public const int MaxTextBytes = 256;

    public static bool IsAccessPayload(int payloadField) => payloadField is >= AccessRecordField and <= GrantRevocationField;

    /// <summary>Checks that the payload decodes; any defect is a <see cref="LedgerException"/>.</summary>
    public static void Validate(int payloadField, ReadOnlySpan<byte> payload)
    {
        switch (payloadField)
        {
            case AccessRecordField: AccessRecordPayload.Decode(payload); break;
            case AccessGrantField: AccessGrantPayload.Decode(payload); break;
            case GrantRevocationField: GrantRevocationPayload.Decode(payload); break;
            default: throw new LedgerException(ErrorCode.UnknownPayload, string.Create(CultureInfo.InvariantCulture, $"payload field {payloadField} is not an access payload"));
        }
    }

    public static TxBody CreateBody(int payloadField, byte[] payload, string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId) => new()
    {
        ChainId = chainId,
        Nonce = nonce,
        ExpiresAt = expiresAt,
        Submitter = submitterCertificateId,
        Endorsers = [new Transactions.TxEndorser(submitterCertificateId, Transactions.EndorsementScope.Body)], // the submitter's Body signature alone
        PayloadField = payloadField,
        Payload = payload,
    };

    internal static void CheckSize(ReadOnlySpan<byte> bytes, string message)
    {
        if (bytes.Length > Wire.EncodingLimits.MaxMessageBytes)
            throw new LedgerException(ErrorCode.Oversize, string.Create(CultureInfo.InvariantCulture, $"{message}: {bytes.Length} bytes"));
    }
}
