using Ledger.Core.Wire;

namespace Ledger.Core.Transactions;

/// <summary>
/// One endorsement a tx body says its envelope carries: <c>TxEndorser { signer = 1, scope = 2 }</c>, where signer is the
/// SM3 of the endorsement's signer field (the certificate's DER, or the bare 65-byte public key). The submitter signs
/// the body, so the list of who consents is part of the tx id: a relay that strips (or adds, or reorders)
/// endorsements makes an envelope admission refuses, and the genuine tx cannot be pre-empted under the same id.
/// </summary>
public readonly record struct TxEndorser(Hash32 Signer, EndorsementScope Scope)
{
    public static TxEndorser Of(Endorsement endorsement, Crypto.IHasher hasher) => new(endorsement.SignerId(hasher), endorsement.Scope);

    internal void WriteTo(ProtoWriter w)
    {
        w.WriteHash(1, Signer);
        w.WriteUInt32(2, (uint)Scope);
    }

    internal static TxEndorser Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new ProtoReader(bytes, "TxEndorser");
        Hash32? signer = null;
        var scope = EndorsementScope.Body;
        for (var field = r.ReadTag(); field != 0; field = r.ReadTag())
        {
            switch (field)
            {
                case 1: signer = r.ReadHash(); break;
                case 2:
                    var s = r.ReadUInt32();
                    scope = s == (uint)EndorsementScope.Statement ? EndorsementScope.Statement : throw r.Invalid($"TxEndorser: unknown scope {s}");
                    break;
                default: throw r.UnknownField(field);
            }
        }
        return new TxEndorser(signer ?? throw r.Missing("TxEndorser.signer"), scope);
    }
}
