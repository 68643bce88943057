using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// The probation grounds hold only during probation: the worker's 3-day notice (art. 37) and the employer's
/// "did not meet the conditions during probation" (art. 39(1)) need a probation in force whose last day is
/// on or after the effective date.
/// </summary>
public sealed class ProbationDissolutionRule : IContractRule
{
    public static readonly ProbationDissolutionRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.Payload is not DissolvePayload { Basis: DissolutionBasis.Art37WorkerNoticeInProbation or DissolutionBasis.Art39ProbationFailed } dissolve)
            return ValidationResult.Valid;
        var probationEnd = context.InForce?.Terms.ProbationEnd;
        return probationEnd is { } end && dissolve.EffectiveDate <= end
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.DissolutionOutsideProbation, $"{dissolve.Basis} needs an effective date within probation (ends {probationEnd?.ToString() ?? "never agreed"})");
    }
}
