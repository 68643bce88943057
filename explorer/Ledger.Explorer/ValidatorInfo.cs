using Ledger.Core;

namespace Ledger.Explorer;

/// <summary>A validator as genesis names it: its certificate id (what seals and headers refer to), name, region and subject.</summary>
public sealed record ValidatorInfo(Hash32 CertificateId, string Name, string Division, string Subject);
