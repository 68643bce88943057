using Ledger.Consensus.Ports;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Fakes;

/// <summary>A validator set whose private keys the test holds: fast fakes or real SM2.</summary>
public interface ISimKeys : IValidatorKeys
{
    /// <summary>Validator ids, by validator index.</summary>
    IReadOnlyList<Hash32> Validators { get; }

    IConsensusSigner SignerFor(Hash32 validator);
}
