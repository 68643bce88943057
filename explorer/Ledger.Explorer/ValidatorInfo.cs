using Ledger.Core;

namespace Ledger.Explorer;

/// <summary>
/// A validator as genesis names it: its certificate id (what seals and headers refer to), short name, region, subject,
/// and the bureau that runs it as a clerk names it (e.g. 广州市人力资源和社会保障局), when genesis gives one.
/// </summary>
public sealed record ValidatorInfo(Hash32 CertificateId, string Name, string Division, string Subject, string? Bureau = null);
