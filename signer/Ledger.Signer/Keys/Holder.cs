using Ledger.Crypto.Certificates;

namespace Ledger.Signer.Keys;

/// <summary>An enrolled holder as the store knows it without the PIN: id (hex SM3 of the public key), kind, certificate.</summary>
public sealed record Holder(string Id, HolderKind Kind, LedgerCertificate Certificate)
{
    public Core.Hash32 KeyId => Certificate.PublicKey.Id;
}
