using Ledger.Core;

namespace Ledger.Consensus.Ports;

/// <summary>The validator set and its public keys (from genesis and governance, certified by the consortium CA).</summary>
public interface IValidatorKeys
{
    /// <summary>The certificate ids of the validators that decide <paramref name="height"/>, in any order.</summary>
    IReadOnlyList<Hash32> ValidatorsAt(ulong height);

    /// <summary>Whether <paramref name="signature"/> is the validator's signature over <paramref name="message"/>; false for an unknown validator.</summary>
    bool Verify(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);
}
