using System.Buffers.Binary;
using System.Globalization;
using Ledger.Core;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Revocation;
using Ledger.Core.State;
using Ledger.Core.Transactions;
using Ledger.Crypto.Certificates;

namespace Ledger.Chain.Revocation;

/// <summary>
/// Revocation on chain. A Bureau publishes a CA's CRL (<see cref="PublishCrlPayload"/>); the executor checks that the root or a
/// city CA of the chain (genesis's, or one governance added) signed it and that it is newer than that CA's last one, then records every serial it lists that the chain did
/// not already know (<see cref="RevocationRecord"/>: where the chain learned of it). From then on any tx endorsed by such a
/// certificate — or by one whose CA is revoked — is refused with <see cref="ErrorCode.CertificateRevoked"/>, the same on
/// every node, because it depends on the chain's state alone; a node's own CRL files only keep txs out of its mempool.
/// </summary>
public sealed class CrlPublication
{
    private readonly Func<IStateStore, IReadOnlyList<LedgerCertificate>> _authorities;

    /// <summary>CRLs of a fixed set of CAs (the root and genesis's city CAs).</summary>
    public CrlPublication(IReadOnlyList<LedgerCertificate> authorities) => _authorities = _ => authorities;

    /// <summary>CRLs of the CAs a block's state names (the root, genesis's city CAs and those governance added: <see cref="Governance.AuthoritySets.AllIn"/>).</summary>
    public CrlPublication(Func<IStateStore, IReadOnlyList<LedgerCertificate>> authorities) => _authorities = authorities;

    /// <summary>Admission's check: the payload decodes and holds a CRL in canonical DER.</summary>
    public static ValidationResult ValidatePayload(TxBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var payload = PublishCrlPayload.Decode(body.Payload.Span);
            CertificateRevocationList.FromDer(payload.Crl.ToArray());
            return ValidationResult.Valid;
        }
        catch (LedgerException e)
        {
            return e.ToResult();
        }
    }

    /// <summary>The first endorsement whose certificate (or a CA above it) the chain has recorded as revoked, as a refusal; else null.</summary>
    public static ExecutionResult? RefuseIfRevoked(IReadOnlyList<VerifiedEndorsement> endorsements, IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(endorsements);
        ArgumentNullException.ThrowIfNull(state);
        foreach (var endorsement in endorsements)
        {
            for (var i = 0; i < endorsement.RevocationKeys.Count; i++)
            {
                if (state.Get(endorsement.RevocationKeys[i]) is not { } bytes) continue;
                var record = RevocationRecord.Decode(bytes);
                var whose = i == 0 ? $"the certificate of {endorsement.Signer.CommonName ?? endorsement.Signer.KeyId.ToString()}" : $"a CA above {endorsement.Signer.CommonName}";
                return ExecutionResult.Reject(ErrorCode.CertificateRevoked, string.Create(CultureInfo.InvariantCulture,
                    $"{whose} was revoked by the CRL published at height {record.Height} (tx {record.TxId})"));
            }
        }
        return null;
    }

    /// <summary>Executes a <see cref="PublishCrlPayload"/> tx at position <paramref name="txIndex"/> of block <paramref name="height"/>.</summary>
    public ExecutionResult Execute(SignerIdentity submitter, TxBody body, Hash32 txId, ulong height, int txIndex, long blockTime, IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(state);
        if (submitter.Role != Role.Bureau || submitter.CertificateId is null)
            return ExecutionResult.Reject(ErrorCode.CrlRoleNotAllowed, $"only a Bureau certificate may publish a CRL, not {submitter.Role}");
        CertificateRevocationList crl;
        try
        {
            crl = CertificateRevocationList.FromDer(PublishCrlPayload.Decode(body.Payload.Span).Crl.ToArray());
        }
        catch (LedgerException e)
        {
            return ExecutionResult.Reject(e.Code, e.Message);
        }
        var issuer = _authorities(state).FirstOrDefault(ca => crl.VerifyIssuedBy(ca).IsValid);
        if (issuer is null)
            return ExecutionResult.Reject(ErrorCode.CrlIssuerUnknown, $"the CRL of {crl.Issuer} is signed by no CA of this chain");
        var thisUpdate = crl.ThisUpdate.ToUnixTimeMilliseconds();
        if (thisUpdate > blockTime)
            return ExecutionResult.Reject(ErrorCode.InvalidCrl, string.Create(CultureInfo.InvariantCulture,
                $"the CRL is dated {crl.ThisUpdate:u}, after the block's time {DateTimeOffset.FromUnixTimeMilliseconds(blockTime):u}"));
        var headKey = RevocationKeys.CrlHead(issuer.Id);
        if (state.Get(headKey) is { } head && thisUpdate <= BinaryPrimitives.ReadInt64BigEndian(head))
            return ExecutionResult.Reject(ErrorCode.CrlNotNewer, string.Create(CultureInfo.InvariantCulture,
                $"the CRL of {issuer.Subject} dated {crl.ThisUpdate:u} is not newer than the one on chain ({DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(head)):u})"));

        var stamp = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(stamp, thisUpdate);
        state.Put(headKey, stamp);
        foreach (var (serial, revokedAt) in crl.Entries)
        {
            var key = RevocationKeys.Revoked(issuer.Id, serial);
            if (state.Get(key) is not null) continue; // first publication stands: the chain knew from then on
            state.Put(key, new RevocationRecord(height, checked((uint)txIndex), txId, revokedAt.ToUnixTimeMilliseconds()).Encode());
        }
        return ExecutionResult.Success();
    }
}
