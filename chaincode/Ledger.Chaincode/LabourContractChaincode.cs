using Ledger.Chaincode.Access;
using Ledger.Chaincode.Actions;
using Ledger.Chaincode.Anchoring;
using Ledger.Chaincode.Audit;
using Ledger.Chaincode.PaperBatches;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Anchoring;
using Ledger.Core.Audit;
using Ledger.Core.Contracts;
using Ledger.Core.Crypto;
using Ledger.Core.Execution;
using Ledger.Core.State;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode;

/// <summary>
/// The labour-contract lifecycle as a deterministic state machine. Its only inputs are the tx (with signatures
/// verified by admission), the block's height and time, and the state; its only outputs are state writes and the
/// result. Each action is a handler with a composite rule; the first failing rule's code is the receipt's code.
/// </summary>
public sealed class LabourContractChaincode : IChaincode
{
    private readonly LabourContractOptions _options;
    private readonly IActionHandler[] _handlers; // indexed by payload field - RegisterField, looked up, never iterated into output

    public LabourContractChaincode(LabourContractOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _handlers = new IActionHandler[ContractPayloads.ConfirmPaperField - ContractPayloads.RegisterField + 1];
        _handlers[ContractPayloads.RegisterField - ContractPayloads.RegisterField] = new RegisterHandler();
        _handlers[ContractPayloads.SignField - ContractPayloads.RegisterField] = new SignHandler();
        _handlers[ContractPayloads.ChangeField - ContractPayloads.RegisterField] = new ChangeHandler();
        _handlers[ContractPayloads.RenewField - ContractPayloads.RegisterField] = new RenewHandler();
        _handlers[ContractPayloads.DissolveField - ContractPayloads.RegisterField] = new DissolveHandler();
        _handlers[ContractPayloads.TerminateField - ContractPayloads.RegisterField] = new TerminateHandler();
        _handlers[ContractPayloads.UploadPaperField - ContractPayloads.RegisterField] = new UploadPaperHandler();
        _handlers[ContractPayloads.ConfirmPaperField - ContractPayloads.RegisterField] = new ConfirmPaperHandler();
    }

    public ValidationResult ValidatePayload(TxBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            if (body.PayloadField == AuditAnchorPayload.Field) AuditAnchorPayload.Decode(body.Payload.Span);
            else if (body.PayloadField == UploadPaperBatchPayload.Field) UploadPaperBatchPayload.Decode(body.Payload.Span);
            else if (AccessPayloads.IsAccessPayload(body.PayloadField)) AccessPayloads.Validate(body.PayloadField, body.Payload.Span);
            else if (body.PayloadField == ExternalAnchorPayload.Field) ExternalAnchorPayload.Decode(body.Payload.Span);
            else ContractPayloads.Decode(body);
            return ValidationResult.Valid;
        }
        catch (LedgerException e)
        {
            return e.ToResult();
        }
    }

    /// <summary>Derived from the payload alone, with the body's chain id; null if the payload does not decode.</summary>
    public ContractStatement? StatementFor(TxBody body, IHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(hasher);
        if (body.PayloadField is AuditAnchorPayload.Field or ExternalAnchorPayload.Field or UploadPaperBatchPayload.Field || AccessPayloads.IsAccessPayload(body.PayloadField)) return null;
        try
        {
            return ContractPayloads.StatementFor(body, ContractPayloads.Decode(body), hasher);
        }
        catch (LedgerException)
        {
            return null;
        }
    }

    public ExecutionResult Execute(TxContext context, IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        if (context.Body.PayloadField == AuditAnchorPayload.Field)
        {
            try
            {
                return AuditAnchorHandler.Execute(context, AuditAnchorPayload.Decode(context.Body.Payload.Span), state);
            }
            catch (LedgerException e)
            {
                return ExecutionResult.Reject(e.Code, e.Message);
            }
        }
        if (context.Body.PayloadField == UploadPaperBatchPayload.Field)
        {
            try
            {
                return PaperBatchHandler.Execute(context, UploadPaperBatchPayload.Decode(context.Body.Payload.Span), state);
            }
            catch (LedgerException e)
            {
                return ExecutionResult.Reject(e.Code, e.Message);
            }
        }
        if (AccessPayloads.IsAccessPayload(context.Body.PayloadField)) return AccessHandler.Execute(context, state);
        if (context.Body.PayloadField == ExternalAnchorPayload.Field)
        {
            try
            {
                return ExternalAnchorHandler.Execute(context, ExternalAnchorPayload.Decode(context.Body.Payload.Span), state);
            }
            catch (LedgerException e)
            {
                return ExecutionResult.Reject(e.Code, e.Message);
            }
        }
        IContractPayload payload;
        try
        {
            payload = ContractPayloads.Decode(context.Body);
        }
        catch (LedgerException e)
        {
            return ExecutionResult.Reject(e.Code, e.Message);
        }

        var handler = _handlers[payload.PayloadField - ContractPayloads.RegisterField];
        var action = handler.Describe(context, payload, state, _options);
        var verdict = handler.Rule.Check(action);
        if (!verdict.IsValid) return ExecutionResult.Reject(verdict.Code, verdict.Reason ?? verdict.Code.ToString());

        var warnings = new List<ErrorCode>();
        foreach (var rule in handler.Warnings)
        {
            var warning = rule.Check(action);
            if (warning != ErrorCode.Ok && !warnings.Contains(warning)) warnings.Add(warning);
        }
        handler.Apply(action, state);
        return ExecutionResult.Success([.. warnings]);
    }
}
