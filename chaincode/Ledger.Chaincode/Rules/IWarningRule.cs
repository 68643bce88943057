using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>A check that does not refuse the tx but puts a warning code in its receipt.</summary>
public interface IWarningRule
{
    /// <returns>The warning, or <see cref="ErrorCode.Ok"/> for none.</returns>
    ErrorCode Check(ActionContext context);
}
