namespace Ledger.Core.Execution;

/// <summary>What chaincode decided about one tx: success (with warnings) or a rejection code and reason.</summary>
public sealed record ExecutionResult(ErrorCode Code, string Message, IReadOnlyList<ErrorCode> Warnings)
{
    public static ExecutionResult Success(params ErrorCode[] warnings) => new(ErrorCode.Ok, "", warnings);

    public static ExecutionResult Reject(ErrorCode code, string message) => new(code, message, []);

    public bool Succeeded => Code == ErrorCode.Ok;
}
