namespace Ledger.Core;

/// <summary>A refusal with a typed code; thrown where a result cannot be returned (decoding, file formats).</summary>
public class LedgerException : Exception
{
    public LedgerException(ErrorCode code, string message) : base(message) => Code = code;

    public LedgerException(ErrorCode code, string message, Exception inner) : base(message, inner) => Code = code;

    public ErrorCode Code { get; }

    public ValidationResult ToResult() => ValidationResult.Fail(Code, Message);
}
