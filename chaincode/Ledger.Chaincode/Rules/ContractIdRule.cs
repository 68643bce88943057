using System.Globalization;
using Ledger.Core;

namespace Ledger.Chaincode.Rules;

/// <summary>A contract id is 1-64 ASCII characters: letters, digits and <c>. _ - :</c>, starting with a letter or digit.</summary>
public sealed class ContractIdRule : IContractRule
{
    public const int MaxLength = 64;

    public static readonly ContractIdRule Instance = new();

    public ValidationResult Check(ActionContext context) =>
        IsValid(context.Payload.ContractId)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InvalidContractId, string.Create(CultureInfo.InvariantCulture, $"contract id must be 1-{MaxLength} characters of A-Z a-z 0-9 . _ - :"));

    public static bool IsValid(string id)
    {
        if (id.Length is 0 or > MaxLength || !char.IsAsciiLetterOrDigit(id[0])) return false;
        foreach (var c in id)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':')) return false;
        return true;
    }
}
