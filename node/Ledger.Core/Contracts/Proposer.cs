namespace Ledger.Core.Contracts;

/// <summary>
/// Which party proposed a dissolution by agreement (art. 36). It decides severance: under art. 46(2) the employer owes
/// it when the employer proposed. Values are on the wire: never renumber.
/// </summary>
public enum Proposer
{
    Unspecified = 0,
    Employer = 1,
    Worker = 2,
}
