using Ledger.Chain.Governance;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Node.Qbft;

/// <summary>The validator set of each height (genesis, then governance) and their certified SM2 keys.</summary>
public sealed class ValidatorKeysAdapter(ValidatorSets validators) : IValidatorKeys
{
    public IReadOnlyList<Hash32> ValidatorsAt(ulong height) => validators.At(height).Certificates.Select(c => c.Id).ToArray();

    /// <summary>A key of any set the chain knows; whether the signer belongs to a height's set is the engine's check.</summary>
    public bool Verify(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        validators.FindAny(validator) is { } certificate && certificate.PublicKey.Verify(message, signature);
}
