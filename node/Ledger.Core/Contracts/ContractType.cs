namespace Ledger.Core.Contracts;

/// <summary>The three kinds of term of Labour Contract Law art. 12. Values are on the wire: never renumber.</summary>
public enum ContractType
{
    Unspecified = 0,

    /// <summary>固定期限: has an end date (art. 13).</summary>
    FixedTerm = 1,

    /// <summary>无固定期限: no end date (art. 14).</summary>
    OpenEnded = 2,

    /// <summary>以完成一定工作任务为期限: ends when the task is done (art. 15); an expected end date is optional.</summary>
    TaskBased = 3,
}
