namespace Ledger.Core.Contracts;

/// <summary>The reasons for termination (终止) of Labour Contract Law art. 44. Values are on the wire: never renumber.</summary>
public enum TerminationReason
{
    Unspecified = 0,

    /// <summary>Art. 44(1): the term has expired (for a task-based contract: the task is done).</summary>
    TermExpired = 1,

    /// <summary>Art. 44(2): the worker starts to receive the basic old-age pension.</summary>
    PensionStarted = 2,

    /// <summary>Art. 44(3): the worker died, or was declared dead or missing by a court.</summary>
    WorkerDeceased = 3,

    /// <summary>Art. 44(4): the employer was declared bankrupt.</summary>
    EmployerBankrupt = 4,

    /// <summary>Art. 44(5): the employer's licence was revoked, it was ordered to close, or decided to dissolve early.</summary>
    EmployerClosed = 5,

    /// <summary>Art. 44(6): another circumstance provided by law or administrative regulation.</summary>
    OtherStatutory = 6,
}
