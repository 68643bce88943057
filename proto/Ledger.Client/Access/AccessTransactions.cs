using System.Security.Cryptography;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Transactions;

namespace Ledger.Client.Access;

/// <summary>
/// Signed envelopes for the access payloads (<see cref="AccessRecordPayload"/>, <see cref="AccessGrantPayload"/>,
/// <see cref="GrantRevocationPayload"/>): the submitter alone signs the body.
/// </summary>
public static class AccessTransactions
{
    public static TxEnvelope Record(string chainId, AccessRecordPayload record, CallerIdentity submitter, TimeProvider? clock = null) =>
        Build(chainId, AccessPayloads.AccessRecordField, record.Encode(), submitter, clock);

    public static TxEnvelope Grant(string chainId, AccessGrantPayload grant, CallerIdentity submitter, TimeProvider? clock = null) =>
        Build(chainId, AccessPayloads.AccessGrantField, grant.Encode(), submitter, clock);

    public static TxEnvelope Revoke(string chainId, GrantRevocationPayload revocation, CallerIdentity submitter, TimeProvider? clock = null) =>
        Build(chainId, AccessPayloads.GrantRevocationField, revocation.Encode(), submitter, clock);

    private static TxEnvelope Build(string chainId, int field, byte[] payload, CallerIdentity submitter, TimeProvider? clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(chainId);
        ArgumentNullException.ThrowIfNull(submitter);
        var expiresAt = (clock ?? TimeProvider.System).GetUtcNow().Add(TransactionBuilder.DefaultTtl).ToUnixTimeMilliseconds();
        var nonce = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var body = AccessPayloads.CreateBody(field, payload, chainId, nonce, expiresAt, submitter.Certificate.Id).Encode();
        return new TxEnvelope
        {
            BodyBytes = body,
            Endorsements = [new Endorsement { Certificate = submitter.Certificate.Der, Signature = submitter.Key.Sign(body), Scope = EndorsementScope.Body }],
        };
    }
}
