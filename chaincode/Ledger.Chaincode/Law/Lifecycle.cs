using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;

namespace Ledger.Chaincode.Law;

/// <summary>
/// Which action each status allows. A contract that does not exist can only be registered or uploaded;
/// one pending its first signatures can only be signed; one in force can be changed, renewed, dissolved or
/// terminated. While a change or renewal awaits signatures the version in force still binds: the pending version
/// can be signed, superseded by another change or renewal (a party may refuse to sign, art. 35 needs agreement,
/// and the contract must not be stuck), and the contract dissolved or terminated. After dissolution or
/// termination nothing.
/// </summary>
public static class Lifecycle
{
    /// <param name="status">The contract's status, or null if there is no contract with this id.</param>
    public static ValidationResult Check(ContractStatus? status, ContractAction action)
    {
        var creates = action is ContractAction.Register or ContractAction.UploadPaper;
        if (status is null)
            return creates ? ValidationResult.Valid : ValidationResult.Fail(ErrorCode.ContractNotFound, "there is no contract with this id");
        if (creates)
            return ValidationResult.Fail(ErrorCode.ContractAlreadyExists, "a contract with this id exists");
        if (action == ContractAction.ConfirmPaper)
        {
            return status == ContractStatus.PendingConfirmation
                ? ValidationResult.Valid
                : ValidationResult.Fail(ErrorCode.NotAwaitingConfirmation, $"the contract is {status}, not a paper upload awaiting confirmation");
        }
        return status switch
        {
            ContractStatus.Dissolved or ContractStatus.Terminated =>
                ValidationResult.Fail(ErrorCode.ContractClosed, $"the contract is {status}; no further action is possible"),
            ContractStatus.PendingSignature => action == ContractAction.Sign
                ? ValidationResult.Valid
                : ValidationResult.Fail(ErrorCode.ContractNotEffective, "the contract has never been in force"),
            ContractStatus.Effective => action == ContractAction.Sign
                ? ValidationResult.Fail(ErrorCode.AlreadySigned, "the current version is signed by both parties")
                : ValidationResult.Valid,
            ContractStatus.PendingChange or ContractStatus.PendingRenewal => ValidationResult.Valid,
            ContractStatus.PendingConfirmation =>
                ValidationResult.Fail(ErrorCode.ContractNotEffective, "the paper upload awaits the worker's confirmation or a bureau's attestation; nothing is in force"),
            _ => throw new InvalidOperationException($"unknown contract status {status}"),
        };
    }
}
