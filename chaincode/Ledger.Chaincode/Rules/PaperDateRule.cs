using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Chaincode.Rules;

/// <summary>A paper contract being anchored was signed already: its signing day is not after today (block time, China Standard Time).</summary>
public sealed class PaperDateRule : IContractRule
{
    public static readonly PaperDateRule Instance = new();

    public ValidationResult Check(ActionContext context) =>
        context.Payload is UploadPaperPayload paper && paper.PaperSignedOn > context.Today
            ? ValidationResult.Fail(ErrorCode.PaperSignedInFuture, $"the paper is said to be signed on {paper.PaperSignedOn}, after today {context.Today}")
            : ValidationResult.Valid;
}
