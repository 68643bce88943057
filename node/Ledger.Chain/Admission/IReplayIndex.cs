using Ledger.Core;

namespace Ledger.Chain.Admission;

/// <summary>What admission asks the committed chain to refuse a replay: against state, not only the pool.</summary>
public interface IReplayIndex
{
    bool IsCommitted(Hash32 txId);

    bool IsNonceUsed(Hash32 submitter, ulong nonce);
}
