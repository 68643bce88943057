using Ledger.Chaincode.Law;
using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>The action must be one the contract's status allows (<see cref="Lifecycle"/>).</summary>
public sealed class LifecycleRule : IContractRule
{
    public static readonly LifecycleRule Instance = new();

    public ValidationResult Check(ActionContext context) => Lifecycle.Check(context.Current?.Status, context.Action);
}
