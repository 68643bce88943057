namespace Ledger.Consensus.Messages;

/// <summary>The four QBFT messages (Moniz 2020: PRE-PREPARE is called PROPOSAL here, as in Besu). Values are wire format.</summary>
public enum MessageType : uint
{
    Proposal = 1,
    Prepare = 2,
    Commit = 3,
    RoundChange = 4,
}
