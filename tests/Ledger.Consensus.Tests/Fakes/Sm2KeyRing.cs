using Ledger.Consensus.Ports;
using Ledger.Core;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Consensus.Tests.Fakes;

/// <summary>Real SM2 keys and certificate ids of a <see cref="TestNetwork"/>'s validators (default signer id).</summary>
public sealed class Sm2KeyRing : ISimKeys
{
    private readonly Dictionary<Hash32, TestIdentity> _byId;

    public Sm2KeyRing(TestNetwork network)
    {
        _byId = network.Validators.ToDictionary(v => v.Certificate.Id);
        Validators = network.Validators.Select(v => v.Certificate.Id).ToList();
    }

    public IReadOnlyList<Hash32> Validators { get; }

    public IReadOnlyList<Hash32> ValidatorsAt(ulong height) => Validators;

    public IConsensusSigner SignerFor(Hash32 validator) => new Sm2Signer(_byId[validator].Key, validator);

    public bool Verify(Hash32 validator, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        _byId.TryGetValue(validator, out var identity) && identity.Key.PublicKey.Verify(message, signature);

    private sealed class Sm2Signer(Sm2PrivateKey key, Hash32 id) : IConsensusSigner
    {
        public Hash32 ValidatorId => id;

        public byte[] Sign(ReadOnlySpan<byte> message) => key.Sign(message);
    }
}
