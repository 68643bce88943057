using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Validation;

/// <summary>Is a signed payload from a validator of the height, for this chain, with a valid signature.</summary>
internal static class PayloadAuthenticator
{
    public static ValidationResult Check(SignedPayload signed, string chainId, ValidatorView validators, IValidatorKeys keys, bool verifySignature = true)
    {
        if (signed.Payload.ChainId != chainId)
            return ValidationResult.Fail(ErrorCode.WrongChainId, $"message for chain '{signed.Payload.ChainId}'");
        if (!validators.Contains(signed.Signer))
            return ValidationResult.Fail(ErrorCode.UnknownValidator, $"{signed.Signer} is not a validator at height {signed.Payload.Height}");
        return !verifySignature || keys.Verify(signed.Signer, signed.SigningBytes(), signed.Signature)
            ? ValidationResult.Valid
            : ValidationResult.Fail(ErrorCode.InvalidSignature, $"{signed.Payload.Type} signature by {signed.Signer} does not verify");
    }
}
