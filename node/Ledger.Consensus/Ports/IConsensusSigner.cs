using Ledger.Core;

namespace Ledger.Consensus.Ports;

/// <summary>This validator's key. The engine signs message payloads (domain <see cref="Messages.MessageSigning"/>) and commit seals.</summary>
public interface IConsensusSigner
{
    /// <summary>The validator's certificate id.</summary>
    Hash32 ValidatorId { get; }

    /// <summary>An SM2 signature (DER) over the bytes.</summary>
    byte[] Sign(ReadOnlySpan<byte> message);

    /// <summary>
    /// The certificate id this validator decides <paramref name="height"/> with: a validator re-certified by governance
    /// (Replace) switches to its next key at the height the change takes effect. The same at every height by default.
    /// </summary>
    Hash32 ValidatorIdAt(ulong height) => ValidatorId;

    /// <summary>A signature with the key of <see cref="ValidatorIdAt"/> for the height.</summary>
    byte[] SignAt(ulong height, ReadOnlySpan<byte> message) => Sign(message);
}
