using Ledger.Crypto;
using Ledger.Crypto.Certificates;

namespace Ledger.TestKit.Network;

/// <summary>Someone who signs in a test: a key, and a certificate unless they sign with a bare key (which carries no role).</summary>
public sealed record TestParty(string Name, Sm2PrivateKey Key, LedgerCertificate? Certificate);
