namespace Ledger.Core.Identity;

/// <summary>What a certificate's holder is in the consortium. Values are stored in certificates: never renumber.</summary>
public enum Role
{
    Unknown = 0,
    RootCa = 1,
    IntermediateCa = 2,
    Validator = 3,
    Bureau = 4,
    Employer = 5,
    Integrator = 6,
    Arbitration = 7,
    Court = 8,
    Inspector = 9,
    Worker = 10,

    /// <summary>Reads whole blocks over the client API (an indexer, an anchoring service, an auditor's replica); submits nothing.</summary>
    Observer = 11,

    /// <summary>
    /// A named bureau operator: authorises enrolments at the city's signer and CA process and reads the signer's audit log.
    /// Nothing on chain: admission refuses a tx any Operator certificate signs (<see cref="ErrorCode.OperatorNotOnChain"/>).
    /// </summary>
    Operator = 12,
}
