using System.Globalization;
using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>A sign tx must add a signature the version lacks: it carries a party's signature, and not only repeats one.</summary>
public sealed class NewSignatureRule : IContractRule
{
    public static readonly NewSignatureRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        var consents = context.Consents;
        if (!consents.HasAnyParty)
            return ValidationResult.Fail(ErrorCode.NoPartySignature, "a sign tx carries no statement signature of employer or worker");
        if (context.Target is not { } version) return ValidationResult.Valid;
        var adds = (consents.HasEmployer && !version.EmployerSigned) || (consents.HasWorker && !version.WorkerSigned);
        return adds
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.AlreadySigned, string.Create(CultureInfo.InvariantCulture, $"version {version.Number} already has these signatures"));
    }
}
