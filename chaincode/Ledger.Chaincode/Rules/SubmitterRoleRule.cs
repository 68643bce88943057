using Ledger.Core;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>Only the listed certificate roles may submit this action.</summary>
public sealed class SubmitterRoleRule(params IReadOnlyList<Role> allowed) : IContractRule
{
    public IReadOnlyList<Role> Allowed { get; } = allowed;

    public ValidationResult Check(ActionContext context) =>
        Allowed.Contains(context.Submitter.Role)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.SubmitterRoleNotAllowed, $"a {context.Submitter.Role} may not submit {context.Action}");
}
