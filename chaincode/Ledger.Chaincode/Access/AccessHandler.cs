using System.Globalization;
using Ledger.Chaincode.State;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.State;

namespace Ledger.Chaincode.Access;

/// <summary>
/// Executes the access payloads: an <see cref="AccessRecordPayload"/> (a court, arbitration board or inspector with
/// a case number or reference, or a reader with the worker's standing consent) is appended to the worker's access
/// log; an <see cref="AccessGrantPayload"/> from the worker of record (consent) or the employer (delegation to an
/// integrator) is stored under its tx id; a <see cref="GrantRevocationPayload"/> from the grantor ends a grant.
/// Only certified submitters act here, and only the block time judges expiry. A legal-basis record is the legal
/// authority's own, or an Observer's (the explorer operator) for a named signed-in account of a court, arbitration
/// board, inspectorate or bureau that the operator manages.
/// </summary>
public static class AccessHandler
{
    public static ExecutionResult Execute(TxContext context, IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            return context.Body.PayloadField switch
            {
                AccessPayloads.AccessRecordField => Record(context, AccessRecordPayload.Decode(context.Body.Payload.Span), state),
                AccessPayloads.AccessGrantField => Grant(context, AccessGrantPayload.Decode(context.Body.Payload.Span), state),
                AccessPayloads.GrantRevocationField => Revoke(context, GrantRevocationPayload.Decode(context.Body.Payload.Span), state),
                _ => ExecutionResult.Reject(ErrorCode.UnknownPayload, "not an access payload"),
            };
        }
        catch (LedgerException e)
        {
            return ExecutionResult.Reject(e.Code, e.Message);
        }
    }

    /// <summary>The role a basis needs; consent is open to any certified reader the grant names.</summary>
    public static Role? RoleFor(AccessBasis basis) => basis switch
    {
        AccessBasis.CourtCase => Role.Court,
        AccessBasis.ArbitrationCase => Role.Arbitration,
        AccessBasis.Inspection => Role.Inspector,
        _ => null,
    };

    private static ExecutionResult Record(TxContext context, AccessRecordPayload record, IStateStore state)
    {
        var submitter = context.Submitter;
        if (submitter.CertificateId is not { } accessor)
            return ExecutionResult.Reject(ErrorCode.AccessRoleNotAllowed, "an access is recorded by a certified reader");
        var contract = ContractStore.Get(state, record.ContractId);
        if (contract is null)
            return ExecutionResult.Reject(ErrorCode.ContractNotFound, $"no contract {record.ContractId}");
        if (record.Basis == AccessBasis.WorkerConsent)
        {
            var grantId = record.GrantId!.Value;
            var grant = AccessStore.GetGrant(state, grantId);
            if (grant is null || grant.Kind != GrantKind.WorkerConsent)
                return ExecutionResult.Reject(ErrorCode.GrantNotFound, $"no consent grant {grantId}");
            if (grant.ContractId != record.ContractId)
                return ExecutionResult.Reject(ErrorCode.GrantNotForCaller, $"consent {grantId} is for another contract");
            if (grant.Grantee != accessor)
                return ExecutionResult.Reject(ErrorCode.GrantNotForCaller, $"consent {grantId} names another reader");
            var stands = grant.StandsAt(context.BlockTime);
            if (!stands.IsValid) return ExecutionResult.Reject(stands.Code, stands.Reason!);
        }
        else if (RoleFor(record.Basis) != submitter.Role && !(submitter.Role == Role.Observer && record.OnBehalfOf.Length > 0))
        {
            // An Observer records reads only for a named account it vouches for: the explorer operator's signed-in staff.
            return ExecutionResult.Reject(ErrorCode.AccessRoleNotAllowed,
                string.Create(CultureInfo.InvariantCulture, $"a {record.Basis} read is for a {RoleFor(record.Basis)} certificate, not {submitter.Role}"));
        }

        AccessStore.Append(state, WorkerMatch.IndexKey(contract), new AccessLogEntry
        {
            TxId = context.TxId,
            ContractId = record.ContractId,
            Accessor = accessor,
            AccessorRole = submitter.Role,
            AccessorName = Truncate(submitter.CommonName ?? ""),
            Basis = record.Basis,
            Reference = record.Reference,
            OnBehalfOf = record.OnBehalfOf,
            GrantId = record.GrantId,
            Height = context.Height,
            BlockTime = context.BlockTime,
        });
        return ExecutionResult.Success();
    }

    private static ExecutionResult Grant(TxContext context, AccessGrantPayload grant, IStateStore state)
    {
        var submitter = context.Submitter;
        if (submitter.CertificateId is null)
            return ExecutionResult.Reject(ErrorCode.GrantorNotAllowed, "a grant is made by a certified party");
        if (grant.NotAfter <= context.BlockTime)
            return ExecutionResult.Reject(ErrorCode.GrantExpired, "the grant expires before its block");
        string creditCode = "";
        if (grant.Kind == GrantKind.WorkerConsent)
        {
            var contract = ContractStore.Get(state, grant.ContractId);
            if (contract is null) return ExecutionResult.Reject(ErrorCode.ContractNotFound, $"no contract {grant.ContractId}");
            if (!WorkerMatch.Matches(submitter, contract))
                return ExecutionResult.Reject(ErrorCode.GrantorNotAllowed, "only the contract's worker may consent to a read of it");
        }
        else
        {
            if (submitter.Role != Role.Employer || submitter.CreditCode is not { } code)
                return ExecutionResult.Reject(ErrorCode.GrantorNotAllowed, $"only an Employer certificate delegates reads to an integrator, not {submitter.Role}");
            creditCode = code.Value;
        }

        state.Put(StateKeys.Grant(context.TxId), new GrantRecord
        {
            Kind = grant.Kind,
            Grantor = submitter.KeyId,
            EmployerCreditCode = creditCode,
            ContractId = grant.ContractId,
            Grantee = grant.Grantee,
            Purpose = grant.Purpose,
            NotAfter = grant.NotAfter,
            Height = context.Height,
            BlockTime = context.BlockTime,
        }.Encode());
        if (grant.Kind == GrantKind.IntegratorDelegation)
            state.Put(StateKeys.Delegation(creditCode, grant.Grantee), context.TxId.ToArray());
        return ExecutionResult.Success();
    }

    private static ExecutionResult Revoke(TxContext context, GrantRevocationPayload revocation, IStateStore state)
    {
        var grant = AccessStore.GetGrant(state, revocation.GrantId);
        if (grant is null) return ExecutionResult.Reject(ErrorCode.GrantNotFound, $"no grant {revocation.GrantId}");
        if (grant.Grantor != context.Submitter.KeyId)
            return ExecutionResult.Reject(ErrorCode.GrantorNotAllowed, "only the grantor may revoke a grant");
        if (grant.RevokedAt != 0) return ExecutionResult.Reject(ErrorCode.GrantRevoked, "the grant is already revoked");
        state.Put(StateKeys.Grant(revocation.GrantId), (grant with { RevokedAt = context.BlockTime }).Encode());
        return ExecutionResult.Success();
    }

    private static string Truncate(string name) => name.Length <= 64 ? name : name[..64];
}
