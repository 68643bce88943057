using Ledger.Client;

namespace Ledger.Anchor;

/// <summary>
/// Certified headers from a node's gRPC API: headers and seals are public (no signed call needed), and they are all
/// that checking an anchor takes.
/// </summary>
public sealed class LedgerBlockReader(LedgerClient client) : IBlockReader
{
    public Task<CertifiedHeader?> GetHeaderAsync(ulong height, CancellationToken cancellationToken) => client.GetCertifiedHeaderAsync(height, cancellationToken);

    public Task<Core.Evidence.ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken cancellationToken) => client.GetValidatorSetAsync(height, cancellationToken);
}
