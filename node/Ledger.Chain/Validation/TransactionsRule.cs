using Ledger.Chain.Admission;
using Ledger.Core;

namespace Ledger.Chain.Validation;

/// <summary>
/// Every tx of the block decodes, is for this chain, has a payload the chaincode knows and valid signatures by
/// certificates that chain to the root and were valid at the block's time (<see cref="TxAdmission.VerifyForBlock"/>).
/// Expiry and nonces are the executor's (they become receipts); revocation is <see cref="EndorsementRevocationRule"/>'s.
/// </summary>
public sealed class TransactionsRule(TxAdmission admission) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate)
    {
        var txs = candidate.Block.Transactions;
        var verified = new AdmittedTx[txs.Count];
        for (var i = 0; i < verified.Length; i++)
        {
            var check = admission.VerifyForBlock(txs[i], candidate.Time);
            if (check.Tx is null) return ValidationResult.Fail(check.Result.Code, $"tx {i} of the block: {check.Result.Reason}");
            verified[i] = check.Tx;
        }
        candidate.Verified = verified;
        return ValidationResult.Valid;
    }
}
