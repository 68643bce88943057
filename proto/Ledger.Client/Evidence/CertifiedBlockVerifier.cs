using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;

namespace Ledger.Client.Evidence;

/// <summary>
/// Checks certified blocks for a follower of the chain (the analytics indexer, the anchoring check) with the proof
/// verifier's own checks, counting seals against the set of each block's height. It starts from genesis's set; a block
/// naming another set makes it ask the node for that height's set and checkpoints (<see cref="ValidatorSetProof"/>), which
/// it keeps only once they derive from genesis and the block verifies under them — the node is never trusted for a set.
/// </summary>
public sealed class CertifiedBlockVerifier(GenesisDocument genesis, Func<ulong, CancellationToken, Task<ValidatorSetProof?>>? fetchSet = null)
{
    private readonly EvidenceVerifier _evidence = new(genesis);
    private readonly string[] _genesisValidators = genesis.Validators.Select(v => v.Certificate).ToArray();
    private ValidatorSetProof? _current;

    public GenesisDocument Genesis => genesis;

    /// <summary>A quorum of the set of the block's height sealed it (<see cref="EvidenceVerifier.VerifyCertifiedBlock"/>).</summary>
    public async Task<CertifiedBlockResult> VerifyAsync(BlockHeader header, CommitCertificate commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(commit);
        var result = Check(header, commit, _current);
        if (result.Result.Code != ErrorCode.UnknownValidatorSet || fetchSet is null) return result;
        var offered = await fetchSet(header.Height, cancellationToken).ConfigureAwait(false);
        if (offered is null || offered.ChainId != genesis.ChainId || offered.Height != header.Height) return result;
        var again = Check(header, commit, offered);
        if (again.Result.IsValid) _current = offered;
        return again;
    }

    private CertifiedBlockResult Check(BlockHeader header, CommitCertificate commit, ValidatorSetProof? set)
    {
        var result = _evidence.VerifyCertifiedBlock(header, commit, set?.Validators ?? _genesisValidators, [], set?.ValidatorCheckpoints, out var sealedBy, out var count);
        return new CertifiedBlockResult(result, sealedBy, count);
    }
}

/// <summary>The outcome of <see cref="CertifiedBlockVerifier.VerifyAsync"/>: who sealed, out of how many.</summary>
public sealed record CertifiedBlockResult(ValidationResult Result, IReadOnlyList<SealingValidator> SealedBy, int ValidatorCount);
