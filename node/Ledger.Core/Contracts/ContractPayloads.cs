using System.Globalization;
using Ledger.Core.Crypto;
using Ledger.Core.Transactions;

namespace Ledger.Core.Contracts;

/// <summary>
/// The labour-contract payloads' places in the <see cref="TxBody"/> oneof (16-22 and 25; 23 is the signer's audit anchor,
/// <see cref="Audit.AuditAnchorPayload"/>; 24 a paper batch, <see cref="UploadPaperBatchPayload"/>; 26-31 are kept for further
/// contract actions, 32 and up for governance and access grants, 48 is an external chain's anchor receipt,
/// <see cref="Anchoring.ExternalAnchorPayload"/>), decoding by field number, the statement
/// the parties sign, and <see cref="TxBody"/> construction for the SDK and the signer service.
/// </summary>
public static class ContractPayloads
{
    public const int RegisterField = 16;
    public const int SignField = 17;
    public const int ChangeField = 18;
    public const int RenewField = 19;
    public const int DissolveField = 20;
    public const int TerminateField = 21;
    public const int UploadPaperField = 22;

    /// <summary>The confirmation of an employer's paper upload (<see cref="ConfirmPaperPayload"/>), from protocol version 4.</summary>
    public const int ConfirmPaperField = 25;

    /// <summary>The first field number after the range reserved for contract payloads.</summary>
    public const int FirstNonContractField = 32;

    /// <summary>Whether the field is a labour-contract payload, one with a <see cref="ContractStatement"/> the parties sign.</summary>
    public static bool IsContractPayload(int payloadField) => payloadField is (>= RegisterField and <= UploadPaperField) or ConfirmPaperField;

    /// <summary>Decodes a payload by its oneof field number; any defect is a <see cref="LedgerException"/>.</summary>
    public static IContractPayload Decode(int payloadField, ReadOnlySpan<byte> payload) => payloadField switch
    {
        RegisterField => RegisterPayload.Decode(payload),
        SignField => SignPayload.Decode(payload),
        ChangeField => ChangePayload.Decode(payload),
        RenewField => RenewPayload.Decode(payload),
        DissolveField => DissolvePayload.Decode(payload),
        TerminateField => TerminatePayload.Decode(payload),
        UploadPaperField => UploadPaperPayload.Decode(payload),
        ConfirmPaperField => ConfirmPaperPayload.Decode(payload),
        _ => throw new LedgerException(ErrorCode.UnknownPayload, string.Create(CultureInfo.InvariantCulture, $"payload field {payloadField} is not a labour-contract payload")),
    };

    public static IContractPayload Decode(TxBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Decode(body.PayloadField, body.Payload.Span);
    }

    /// <summary>
    /// The statement employer and worker sign for this payload on chain <paramref name="chainId"/>: it names the contract,
    /// version, document and action, and binds SM3 of the payload's canonical encoding (<see cref="IContractPayload.Encode"/>,
    /// the bytes a tx body carries).
    /// </summary>
    public static ContractStatement StatementFor(IContractPayload payload, string chainId, IHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(hasher);
        return new ContractStatement(chainId, payload.ContractId, payload.StatementVersion, payload.StatementDocumentHash, payload.Action, hasher.Hash(payload.Encode()));
    }

    /// <summary>
    /// The statement of a tx: <paramref name="payload"/> is the body's payload decoded, and the payload hash is taken over
    /// the bytes the body carries, exactly as received (never re-encoded).
    /// </summary>
    public static ContractStatement StatementFor(TxBody body, IContractPayload payload, IHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(hasher);
        return new ContractStatement(body.ChainId, payload.ContractId, payload.StatementVersion, payload.StatementDocumentHash, payload.Action, hasher.Hash(body.Payload.Span));
    }

    /// <summary>
    /// A tx body carrying <paramref name="payload"/>; the submitter signs its encoding. <paramref name="endorsers"/> lists
    /// every endorsement the envelope will carry, in order; by default only the submitter's Body signature.
    /// </summary>
    public static TxBody CreateBody(IContractPayload payload, string chainId, ulong nonce, long expiresAt, Hash32 submitterCertificateId,
        IReadOnlyList<TxEndorser>? endorsers = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return new TxBody
        {
            ChainId = chainId,
            Nonce = nonce,
            ExpiresAt = expiresAt,
            Submitter = submitterCertificateId,
            Endorsers = endorsers ?? [new TxEndorser(submitterCertificateId, EndorsementScope.Body)],
            PayloadField = payload.PayloadField,
            Payload = payload.Encode(),
        };
    }
}
