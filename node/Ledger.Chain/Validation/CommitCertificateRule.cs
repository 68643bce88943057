using Ledger.Chain.Governance;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Chain.Validation;

/// <summary>
/// A certified block's certificate names it, and a quorum of distinct validators of its height sealed
/// (chain id, height, round, block hash) with their certified keys.
/// </summary>
public sealed class CommitCertificateRule(string chainId, ValidatorSets sets) : IBlockRule
{
    public ValidationResult Check(BlockCandidate candidate)
    {
        if (candidate.Certificate is not { } certificate) return ValidationResult.Fail(ErrorCode.InsufficientSeals, "the block has no commit certificate");
        var height = candidate.Header.Height;
        var validators = sets.At(height);
        if (certificate.Height != height || certificate.BlockHash != candidate.Hash)
            return ValidationResult.Fail(ErrorCode.InvalidBlockHash, $"certificate for ({certificate.Height}, {certificate.BlockHash}), block is ({height}, {candidate.Hash})");
        var message = CommitSeal.SigningMessage(chainId, certificate.Height, certificate.Round, certificate.BlockHash);
        var sealers = new HashSet<Hash32>();
        foreach (var seal in certificate.Seals)
        {
            if (validators.Find(seal.Validator) is not { } validator)
                return ValidationResult.Fail(ErrorCode.UnknownValidator, $"seal by {seal.Validator}, not a validator at {height}");
            if (!sealers.Add(seal.Validator)) return ValidationResult.Fail(ErrorCode.DuplicateSeal, $"two seals by {seal.Validator}");
            if (!validator.PublicKey.Verify(message, seal.Signature.Span))
                return ValidationResult.Fail(ErrorCode.InvalidSeal, $"seal by {seal.Validator} does not verify");
        }
        return sealers.Count >= validators.Quorum
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InsufficientSeals, $"{sealers.Count} seals, quorum is {validators.Quorum}");
    }
}
