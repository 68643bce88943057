using Ledger.Chain;
using Ledger.Client.Access;
using Ledger.Core;
using Ledger.Core.Access;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Node.Grpc;

namespace Ledger.Node.Access;

/// <summary>
/// Commits a caller's AccessRecord before its read is answered. The record must be the caller's own (it submits and
/// signs it), name the contract read, and commit successfully — the chaincode checks the role for a case number or
/// reference, and the consent grant for a consent read. A record committed earlier serves a retry within
/// <see cref="CallAuthentication.Window"/>; an older one does not open a new read.
/// </summary>
public sealed class AccessRecordGate(ILedgerApi api, TimeProvider? time = null)
{
    /// <summary>How long a read waits for its record's block.</summary>
    public static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<ReadScope> AdmitAsync(Caller caller, string contractId, ReadScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (scope is not (ReadScope.NeedsLegalBasis or ReadScope.NeedsConsent)) throw new ArgumentOutOfRangeException(nameof(scope));
        if (!caller.HasAccessRecord)
            throw GrpcErrors.PermissionDenied(ErrorCode.LegalBasisRequired,
                $"a {caller.Role} reads a contract with a stated legal basis: sign an AccessRecord (case number or inspection reference) and send it in {CallAuthentication.AccessRecordHeader}");

        TxEnvelope envelope;
        AccessRecordPayload record;
        try
        {
            envelope = TxEnvelope.Decode(caller.AccessRecord.Span);
            if (envelope.Body.PayloadField != AccessPayloads.AccessRecordField)
                throw GrpcErrors.PermissionDenied(ErrorCode.AccessRecordMismatch, "the access record header does not carry an AccessRecord tx");
            record = AccessRecordPayload.Decode(envelope.Body.Payload.Span);
        }
        catch (LedgerException e)
        {
            throw GrpcErrors.PermissionDenied(ErrorCode.AccessRecordMismatch, $"the access record does not decode: {e.Code}: {e.Message}");
        }
        if (envelope.Body.Submitter != caller.CertificateId)
            throw GrpcErrors.PermissionDenied(ErrorCode.AccessRecordMismatch, "the access record is submitted by another certificate than the caller's");
        if (record.ContractId != contractId)
            throw GrpcErrors.PermissionDenied(ErrorCode.AccessRecordMismatch, $"the access record names contract {record.ContractId}, not {contractId}");
        if (scope == ReadScope.NeedsLegalBasis && record.Basis == AccessBasis.WorkerConsent)
            throw GrpcErrors.PermissionDenied(ErrorCode.LegalBasisRequired, "a court, arbitration board or inspector states its case number or reference");
        if (scope == ReadScope.NeedsConsent && record.Basis != AccessBasis.WorkerConsent)
            throw GrpcErrors.PermissionDenied(ErrorCode.OutsideReadScope, $"a {caller.Role} outside the contract's scope reads only with the worker's consent");

        var txId = envelope.ComputeId(Sm3Hasher.Instance);
        var submitted = await api.SubmitAsync(caller.AccessRecord).ConfigureAwait(false);
        if (!submitted.Accepted && submitted.Result.Code != ErrorCode.DuplicateTransaction)
            throw GrpcErrors.PermissionDenied(submitted.Result.Code, $"the access record was refused: {submitted.Result.Reason}");

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(CommitTimeout);
        CommittedTransaction? committed;
        try
        {
            committed = await api.WaitForCommitAsync(txId, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            committed = null;
        }
        if (committed is null)
            throw GrpcErrors.PermissionDenied(ErrorCode.AccessRecordNotCommitted, $"the access record {txId} was not committed within {CommitTimeout.TotalSeconds:0} s; nothing was read");
        if (!committed.Receipt.Succeeded)
            throw GrpcErrors.PermissionDenied(committed.Receipt.Code, $"the access record was refused on chain: {committed.Receipt.Message}");
        var age = _time.GetUtcNow().ToUnixTimeMilliseconds() - committed.BlockTimestamp;
        if (age > CallAuthentication.Window.TotalMilliseconds)
            throw GrpcErrors.PermissionDenied(ErrorCode.AccessRecordMismatch, "the access record was committed for an earlier read; record this one");

        if (scope == ReadScope.NeedsConsent)
        {
            // The grant stood at the record's block; it must still stand now (revoked or expired since: nothing is read).
            var grant = api.GetGrant(record.GrantId!.Value);
            var stands = grant?.StandsAt(_time.GetUtcNow().ToUnixTimeMilliseconds()) ?? ValidationResult.Fail(ErrorCode.GrantNotFound, "the grant is gone");
            if (!stands.IsValid) throw GrpcErrors.PermissionDenied(stands.Code, stands.Reason!);
            return ReadScope.WithoutSensitive;
        }
        return ReadScope.Full;
    }
}
