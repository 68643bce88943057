using Ledger.Core;

namespace Ledger.Consensus.Ports;

/// <summary>This validator's key. The engine signs message payloads (domain <see cref="Messages.MessageSigning"/>) and commit seals.</summary>
public interface IConsensusSigner
{
    /// <summary>The validator's certificate id.</summary>
    Hash32 ValidatorId { get; }

    /// <summary>An SM2 signature (DER) over the bytes.</summary>
    byte[] Sign(ReadOnlySpan<byte> message);
}
