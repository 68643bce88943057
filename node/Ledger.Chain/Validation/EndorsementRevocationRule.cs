using Ledger.Core;
using Ledger.Core.Transactions;

namespace Ledger.Chain.Validation;

/// <summary>No tx of the block is endorsed by a certificate revoked on or before the block's time, by the given source.</summary>
public sealed class EndorsementRevocationRule(IRevocationStatus revocations) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate)
    {
        var txs = candidate.Block.Transactions;
        for (var i = 0; i < txs.Count; i++)
        {
            TxEnvelope envelope;
            try
            {
                envelope = candidate.Verified?[i].Envelope ?? TxEnvelope.Decode(txs[i].Span);
            }
            catch (LedgerException e)
            {
                return ValidationResult.Fail(e.Code, $"tx {i} of the block: {e.Message}");
            }
            foreach (var endorsement in envelope.Endorsements)
            {
                if (endorsement.Certificate.IsEmpty) continue; // a bare worker key has no certificate to revoke
                var status = revocations.Check(endorsement.Certificate.Span, candidate.Time);
                if (!status.IsValid) return ValidationResult.Fail(status.Code, $"tx {i} of the block: {status.Reason}");
            }
        }
        return ValidationResult.Valid;
    }
}
