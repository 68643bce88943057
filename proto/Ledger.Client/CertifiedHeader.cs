using Ledger.Core.Blocks;

namespace Ledger.Client;

/// <summary>
/// A committed block's header and its commit certificate, as anyone may fetch them (GetBlock with header_only): enough
/// to check the validators' seals against genesis and follow parent hashes, without the block's transactions.
/// </summary>
public sealed record CertifiedHeader(BlockHeader Header, CommitCertificate? Commit);
