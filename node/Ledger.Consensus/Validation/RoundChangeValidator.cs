using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Validation;

/// <summary>
/// A ROUND-CHANGE that claims a prepared block must prove it (Besu and the SSV spec carry the PREPAREs in the message,
/// so a receiver need not have seen them). The payload's own signature is checked before this.
/// </summary>
internal static class RoundChangeValidator
{
    public static ValidationResult Check(SignedMessage roundChange, string chainId, ValidatorView validators, IValidatorKeys keys)
    {
        var p = roundChange.Payload;
        if (p.PreparedDigest is not { } digest) return ValidationResult.Valid;
        return PreparedCertificateValidator.Check(roundChange.Prepares, chainId, p.Height, p.PreparedRound, digest, validators, keys);
    }
}
