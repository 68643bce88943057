using Ledger.Core.Identity;

namespace Ledger.Crypto.Certificates;

/// <summary>
/// What a CA is asked to certify. An employer must carry its unified social credit code; a worker must carry the
/// pseudonym the bureau computed at enrolment (<see cref="Ledger.Crypto.WorkerPseudonym"/>), and nothing else about the person.
/// </summary>
public sealed record CertificateRequest(
    string CommonName,
    Role Role,
    DivisionCode Division,
    Sm2PublicKey PublicKey,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    CreditCode? CreditCode = null,
    Ledger.Core.Hash32? WorkerPseudonym = null);
