using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>Only the parties sign statements: a statement signature by anyone else (another employer, a bureau) is refused.</summary>
public sealed class StatementSignersRule : IContractRule
{
    public static readonly StatementSignersRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.Consents.Others.Count == 0) return ValidationResult.Valid;
        var stranger = context.Consents.Others[0];
        return ValidationResult.Fail(ErrorCode.NotParty, $"a {stranger.Role} ({stranger.CreditCode?.Value ?? stranger.KeyId.ToHex()}) is not a party to contract {context.Payload.ContractId}");
    }
}
