namespace Ledger.Core.Transactions;

/// <summary>What an endorsement's signature covers.</summary>
public enum EndorsementScope
{
    /// <summary>The tx body bytes exactly as carried in the envelope (the submitter's signature).</summary>
    Body = 0,

    /// <summary>The <see cref="ContractStatement"/> of the payload (a party's consent to one document version).</summary>
    Statement = 1,
}
