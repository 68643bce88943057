using Ledger.Consensus.Ports;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Validation;

/// <summary>
/// Checks a commit certificate as block sync must before importing a block: it names the block, and a quorum of
/// distinct validators of that height sealed (chain id, height, round, block hash).
/// </summary>
public static class CommitCertificateVerifier
{
    public static ValidationResult Verify(string chainId, CommitCertificate certificate, ulong height, Hash32 blockHash, ValidatorView validators, IValidatorKeys keys)
    {
        if (certificate.Height != height || certificate.BlockHash != blockHash)
            return ValidationResult.Fail(ErrorCode.InvalidBlockHash, $"certificate for ({certificate.Height}, {certificate.BlockHash}), block is ({height}, {blockHash})");
        var message = CommitSeal.SigningMessage(chainId, certificate.Height, certificate.Round, certificate.BlockHash);
        var sealers = new HashSet<Hash32>();
        foreach (var seal in certificate.Seals)
        {
            if (!validators.Contains(seal.Validator)) return ValidationResult.Fail(ErrorCode.UnknownValidator, $"seal by {seal.Validator}, not a validator at {height}");
            if (!sealers.Add(seal.Validator)) return ValidationResult.Fail(ErrorCode.DuplicateSeal, $"two seals by {seal.Validator}");
            if (!keys.Verify(seal.Validator, message, seal.Signature.Span)) return ValidationResult.Fail(ErrorCode.InvalidSeal, $"seal by {seal.Validator} does not verify");
        }
        return sealers.Count >= validators.Quorum
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InsufficientSeals, $"{sealers.Count} seals, quorum is {validators.Quorum}");
    }
}
