using System.Globalization;
using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>The document hash the tx names (and the parties signed) must be that of the version it acts on.</summary>
public sealed class NamedDocumentRule : IContractRule
{
    public static readonly NamedDocumentRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        if (context.Target is null || context.NamedDocumentHash is not { } named) return ValidationResult.Valid;
        return named == context.Target.DocumentHash
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.WrongDocumentHash, string.Create(CultureInfo.InvariantCulture, $"the tx names document {named}, version {context.Target.Number} is {context.Target.DocumentHash}"));
    }
}
