using Ledger.Client;

namespace Ledger.Anchor;

/// <summary>Our chain's committed headers with their commit certificates, by height (a node's GetBlock, header_only).</summary>
public interface IBlockReader
{
    Task<CertifiedHeader?> GetHeaderAsync(ulong height, CancellationToken cancellationToken);

    /// <summary>The validator set of a height with its governance checkpoints (checked before use); null when the reader has none.</summary>
    Task<Core.Evidence.ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken cancellationToken) => Task.FromResult<Core.Evidence.ValidatorSetProof?>(null);
}
