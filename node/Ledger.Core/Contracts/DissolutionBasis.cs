namespace Ledger.Core.Contracts;

/// <summary>
/// The legal basis of a dissolution (解除) under the Labour Contract Law, down to the sub-clause where the
/// sub-clause changes what the chain can check (who must consent, whether the date must fall in probation).
/// Values are on the wire: never renumber.
/// </summary>
public enum DissolutionBasis
{
    Unspecified = 0,

    /// <summary>Art. 36: by agreement. Both parties sign.</summary>
    Art36Agreement = 1,

    /// <summary>Art. 37: the worker gives 30 days' written notice.</summary>
    Art37WorkerNotice = 2,

    /// <summary>Art. 37: the worker gives 3 days' notice during probation; the effective date lies within probation.</summary>
    Art37WorkerNoticeInProbation = 3,

    /// <summary>Art. 38 para. 1: the worker dissolves for the employer's fault (no protection, unpaid wages, no social insurance, ...).</summary>
    Art38EmployerFault = 4,

    /// <summary>Art. 38 para. 2: the worker leaves at once (violence, threats, unlawful restriction, dangerous orders).</summary>
    Art38Immediate = 5,

    /// <summary>Art. 39(1): shown during probation not to meet the conditions of employment; the effective date lies within probation.</summary>
    Art39ProbationFailed = 6,

    /// <summary>Art. 39(2): serious violation of the employer's rules.</summary>
    Art39SeriousViolation = 7,

    /// <summary>Art. 39(3): serious dereliction of duty causing major damage.</summary>
    Art39Dereliction = 8,

    /// <summary>Art. 39(4): concurrent employment harming the work, not corrected on request.</summary>
    Art39ConcurrentEmployment = 9,

    /// <summary>Art. 39(5): the contract is invalid under art. 26(1) (fraud, coercion).</summary>
    Art39InvalidContract = 10,

    /// <summary>Art. 39(6): criminal liability.</summary>
    Art39CriminalLiability = 11,

    /// <summary>Art. 40(1): illness or non-work injury, unable to work after medical treatment.</summary>
    Art40Illness = 12,

    /// <summary>Art. 40(2): incompetent even after training or reassignment.</summary>
    Art40Incompetence = 13,

    /// <summary>Art. 40(3): major change of objective circumstances, no agreement on a change.</summary>
    Art40ChangedCircumstances = 14,

    /// <summary>Art. 41: economic layoff.</summary>
    Art41Layoff = 15,
}
