namespace Ledger.Core.Transactions;

/// <summary>The lifecycle actions a party can consent to. Values are signed into statements: never renumber.</summary>
public enum ContractAction
{
    Unspecified = 0,
    Register = 1,
    Sign = 2,
    Change = 3,
    Renew = 4,
    Dissolve = 5,
    Terminate = 6,
    UploadPaper = 7,

    /// <summary>The worker confirms, or a bureau attests, an employer's paper upload (protocol version 4 on).</summary>
    ConfirmPaper = 8,
}
