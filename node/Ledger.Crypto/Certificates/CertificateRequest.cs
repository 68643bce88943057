using Ledger.Core.Identity;

namespace Ledger.Crypto.Certificates;

/// <summary>What a CA is asked to certify. An employer must carry its unified social credit code.</summary>
public sealed record CertificateRequest(
    string CommonName,
    Role Role,
    DivisionCode Division,
    Sm2PublicKey PublicKey,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    CreditCode? CreditCode = null);
