using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.TestKit.Builders;

/// <summary>A key and the certificate a test CA issued for it.</summary>
public sealed record TestIdentity(Sm2PrivateKey Key, LedgerCertificate Certificate)
{
    public string Name => Certificate.CommonName;
}
