namespace Ledger.Core.Contracts;

/// <summary>
/// How a contract's content reached the chain. Set when the record is created and never changed by any
/// later action: a paper contract stays a paper scan even after electronic changes. Values are stored: never renumber.
/// </summary>
public enum EvidenceGrade
{
    Unspecified = 0,

    /// <summary>An electronic document signed on chain by both parties (Electronic Signature Law art. 13).</summary>
    ElectronicSignature = 1,

    /// <summary>A scan of a paper contract, attested by the bureau or employer that uploaded it.</summary>
    PaperScan = 2,
}
