using System.Globalization;
using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>The version the tx names (and the parties signed) must be the one it acts on.</summary>
public sealed class NamedVersionRule : IContractRule
{
    public static readonly NamedVersionRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.Target is null || context.NamedVersion is not { } named) return ValidationResult.Valid;
        return named == context.Target.Number
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.WrongVersion, string.Create(CultureInfo.InvariantCulture, $"the tx names version {named}, the {context.Action} acts on version {context.Target.Number}"));
    }
}
