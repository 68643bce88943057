using Ledger.Core;

namespace Ledger.Chaincode.Tests.Support;

/// <summary>What a receipt says about one tx, comparable across runs (warnings compared by content).</summary>
public sealed record ExecutionResultView(ErrorCode Code, IReadOnlyList<ErrorCode> Warnings)
{
    public bool Succeeded => Code == ErrorCode.Ok;

    public bool Equals(ExecutionResultView? other) => other is not null && Code == other.Code && Warnings.SequenceEqual(other.Warnings);

    public override int GetHashCode() => HashCode.Combine(Code, Warnings.Count);

    public override string ToString() => Warnings.Count == 0 ? Code.ToString() : $"{Code} [{string.Join(",", Warnings)}]";
}
