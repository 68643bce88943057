using Ledger.Core;
using Ledger.Core.Execution;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;

namespace Ledger.Chain.Admission;

/// <summary>A tx that passed admission: decoded once, every signature checked once, ready for a block.</summary>
public sealed record AdmittedTx(
    Hash32 TxId,
    ReadOnlyMemory<byte> Bytes,
    TxEnvelope Envelope,
    SignerIdentity Submitter,
    IReadOnlyList<VerifiedEndorsement> Endorsements)
{
    public TxBody Body => Envelope.Body;

    public int Size => Bytes.Length;
}
