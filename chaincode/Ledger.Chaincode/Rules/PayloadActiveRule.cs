using System.Globalization;
using Ledger.Core;
using Ledger.Core.Governance;

namespace Ledger.Chaincode.Rules;

/// <summary>
/// The payload is one the block's protocol version accepts. The block executor refuses a payload of a later version
/// before the chaincode sees it; this keeps the chaincode whole on its own (a test chain, another host).
/// </summary>
public sealed class PayloadActiveRule : IContractRule
{
    public static readonly PayloadActiveRule Instance = new();

    public ValidationResult Check(ActionContext context)
    {
        var since = ProtocolVersions.IntroducedIn(context.Payload.PayloadField);
        return since <= context.Tx.ProtocolVersion
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.PayloadNotActive, string.Create(CultureInfo.InvariantCulture, $"{context.Action} is accepted from protocol version {since}; this block runs version {context.Tx.ProtocolVersion}"));
    }
}
