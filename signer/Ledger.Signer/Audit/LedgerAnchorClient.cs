using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Audit;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Signer.Audit;

/// <summary>
/// Anchors audit heads on the ledger through the SDK: a tx with an <see cref="AuditAnchorPayload"/>, submitted and
/// signed (Body scope) by the signer's own Bureau certificate. Owns neither the client nor the key.
/// </summary>
public sealed class LedgerAnchorClient(LedgerClient client, string chainId, LedgerCertificate certificate, Sm2PrivateKey key, TimeProvider clock) : IAnchorLedger
{
    public static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(30);

    public async Task<(Hash32 TxId, ulong Height)> AnchorAsync(AuditAnchorPayload head, CancellationToken cancellationToken)
    {
        var body = head.CreateBody(chainId, TransactionBuilder.NewNonce(), clock.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds(), certificate.Id);
        var envelope = TransactionBuilder.SignedBySubmitter(body, certificate, key);
        var txId = await client.SubmitAsync(envelope, cancellationToken).ConfigureAwait(false);
        var committed = await client.WaitForCommitAsync(txId, CommitTimeout, cancellationToken).ConfigureAwait(false);
        if (!committed.Succeeded)
            throw new LedgerException(committed.Receipt.Code, $"the ledger refused the audit anchor: {committed.Receipt.Message}");
        return (txId, committed.Height);
    }

    public async Task<AuditAnchorPayload?> ReadAnchorAsync(Hash32 txId, CancellationToken cancellationToken)
    {
        var committed = await client.GetTransactionAsync(txId, cancellationToken).ConfigureAwait(false);
        if (committed is null || !committed.Succeeded) return null;
        var body = committed.Envelope.Body;
        if (body.PayloadField != AuditAnchorPayload.Field || body.Submitter != certificate.Id) return null;
        return AuditAnchorPayload.Decode(body.Payload.Span);
    }
}
