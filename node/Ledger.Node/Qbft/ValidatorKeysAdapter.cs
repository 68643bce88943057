using Ledger.Chain;
using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Node.Qbft;

/// <summary>The validator set of genesis and its certified SM2 keys.</summary>
public sealed class ValidatorKeysAdapter(ValidatorSetInfo validators) : IValidatorKeys
{
    private readonly Hash32[] _ids = validators.Certificates.Select(c => c.Id).ToArray();

    public IReadOnlyList<Hash32> ValidatorsAt(ulong height) => _ids;

    public bool Verify(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        validators.Find(validator) is { } certificate && certificate.PublicKey.Verify(message, signature);
}
