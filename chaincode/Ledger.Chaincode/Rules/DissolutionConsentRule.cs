using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// Who must agree to a dissolution depends on its basis: both parties for an agreement (art. 36), the worker
/// for the worker's grounds (arts. 37, 38), the employer for the employer's grounds (arts. 39-41).
/// </summary>
public sealed class DissolutionConsentRule : IContractRule
{
    public static readonly DissolutionConsentRule Instance = new();

    private static readonly CompositeContractRule Both = new(EmployerConsentRule.Required, WorkerConsentRule.Instance);

    public ValidationResult Check(ActionContext context)
    {
        if (context.Payload is not DissolvePayload dissolve) return ValidationResult.Valid;
        IContractRule rule = dissolve.Basis switch
        {
            DissolutionBasis.Art36Agreement => Both,
            DissolutionBasis.Art37WorkerNotice or DissolutionBasis.Art37WorkerNoticeInProbation
                or DissolutionBasis.Art38EmployerFault or DissolutionBasis.Art38Immediate => WorkerConsentRule.Instance,
            _ => EmployerConsentRule.Required,
        };
        return rule.Check(context);
    }
}
