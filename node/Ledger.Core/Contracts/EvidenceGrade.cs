namespace Ledger.Core.Contracts;

/// <summary>
/// How a contract's content reached the chain, and for a paper contract who vouches for it. Set when the record is
/// created; only the confirmation of a paper upload (<see cref="ConfirmPaperPayload"/>) raises <see cref="PaperScan"/> to
/// <see cref="PaperScanWorkerConfirmed"/> or <see cref="PaperScanBureauAttested"/>, and no other action changes it: a paper
/// contract stays a paper scan even after electronic changes. Values are stored: never renumber.
/// </summary>
public enum EvidenceGrade
{
    Unspecified = 0,

    /// <summary>An electronic document signed on chain by both parties (Electronic Signature Law art. 13).</summary>
    ElectronicSignature = 1,

    /// <summary>
    /// A scan of a paper contract on its uploader's word alone: an employer's upload awaiting confirmation (protocol
    /// version 4 on), any upload before version 4, or a leaf of a bureau's paper batch.
    /// </summary>
    PaperScan = 2,

    /// <summary>A scan of a paper contract that the worker it names confirmed with their own Worker certificate (statement signature).</summary>
    PaperScanWorkerConfirmed = 3,

    /// <summary>A scan of a paper contract that a bureau attested against the paper original, naming its archive reference.</summary>
    PaperScanBureauAttested = 4,
}
