using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Governance;
using Ledger.Core.Identity;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// From protocol version 4: a bureau that terminates a contract without the employer's signature does so only on an
/// art. 44 ground a bureau can attest from its own records or another authority's — the worker's death or declared death
/// (44(3)), the employer's bankruptcy (44(4)), its licence revoked or closure ordered (44(5)). The term's expiry, a
/// pension or another statutory ground is the employer's to record (with the bureau, or alone).
/// </summary>
public sealed class BureauGroundRule : IContractRule
{
    public static readonly BureauGroundRule Instance = new();

    private static readonly TerminationReason[] Attestable = [TerminationReason.WorkerDeceased, TerminationReason.EmployerBankrupt, TerminationReason.EmployerClosed];

    public ValidationResult Check(ActionContext context)
    {
        if (context.Tx.ProtocolVersion < ProtocolVersions.V4 || context.Payload is not TerminatePayload terminate) return ValidationResult.Valid;
        if (context.Submitter.Role != Role.Bureau || context.Consents.HasEmployer) return ValidationResult.Valid;
        return Attestable.Contains(terminate.Reason)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.GroundNotAttestable,
                $"a bureau alone terminates on death, bankruptcy or closure (art. 44(3)-(5)); {terminate.Reason} needs the employer's signature");
    }
}
