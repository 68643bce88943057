using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.Chain;

/// <summary>This validator: its name, its certificate and the key it seals blocks with.</summary>
public sealed record NodeIdentity(string Name, LedgerCertificate Certificate, Sm2PrivateKey Key);
