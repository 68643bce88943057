namespace Ledger.Core;

/// <summary>The outcome of a check: a code from the closed <see cref="ErrorCode"/> enum and a reason a person can read.</summary>
public readonly record struct ValidationResult(ErrorCode Code, string? Reason = null)
{
    public static readonly ValidationResult Valid = new(ErrorCode.Ok);

    public bool IsValid => Code == ErrorCode.Ok;

    public static ValidationResult Fail(ErrorCode code, string reason) => new(code, reason);

    public override string ToString() => IsValid ? "valid" : $"{Code}: {Reason}";
}
