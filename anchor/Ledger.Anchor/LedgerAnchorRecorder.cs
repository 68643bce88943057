using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Anchoring;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Anchor;

/// <summary>
/// Records anchors on our chain through the SDK: an <see cref="ExternalAnchorPayload"/> tx, submitted and signed (Body
/// scope) by a Bureau certificate. A record already there (<see cref="ErrorCode.ExternalAnchorExists"/>: a restart
/// after it committed) counts as done; any other refusal is thrown with its code.
/// </summary>
public sealed class LedgerAnchorRecorder(LedgerClient client, string chainId, LedgerCertificate certificate, Sm2PrivateKey key, TimeProvider? clock = null) : IAnchorRecorder
{
    public static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(30);

    public async Task<ulong> RecordAsync(AnchorReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var payload = new ExternalAnchorPayload
        {
            Height = receipt.Height,
            BlockHash = Hash32.Parse(receipt.BlockHash),
            EvmChainId = receipt.EvmChainId,
            Contract = Convert.FromHexString(receipt.Contract.AsSpan(2)),
            TxHash = Hash32.Parse(receipt.TxHash[2..]),
            ExternalBlock = receipt.ExternalBlock,
            ExternalBlockHash = Hash32.Parse(receipt.ExternalBlockHash[2..]),
            ExternalTime = receipt.ExternalTime.ToUnixTimeSeconds(),
        };
        var expires = (clock ?? TimeProvider.System).GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds();
        var envelope = TransactionBuilder.SignedBySubmitter(payload.CreateBody(chainId, TransactionBuilder.NewNonce(), expires, certificate.Id), certificate, key);
        var txId = await client.SubmitAsync(envelope, cancellationToken).ConfigureAwait(false);
        var committed = await client.WaitForCommitAsync(txId, CommitTimeout, cancellationToken).ConfigureAwait(false);
        if (committed.Succeeded) return committed.Height;
        if (committed.Receipt.Code == ErrorCode.ExternalAnchorExists) return 0;
        throw new LedgerException(committed.Receipt.Code, $"our chain refused the record of anchor {receipt.Height}: {committed.Receipt.Message}");
    }
}
