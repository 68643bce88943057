using Ledger.Core;
using Ledger.Core.Contracts;

namespace Ledger.Client.Evidence;

/// <summary>Where a verified document sits in the paper batch its tx sealed: the root, its leaf index, the batch size, its grade.</summary>
public sealed record PaperBatchMembership(Hash32 Root, long Index, long Count, EvidenceGrade Grade, Hash32 ManifestDigest);
