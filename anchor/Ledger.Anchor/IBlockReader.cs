using Ledger.Client;

namespace Ledger.Anchor;

/// <summary>Our chain's committed headers with their commit certificates, by height (a node's GetBlock, header_only).</summary>
public interface IBlockReader
{
    Task<CertifiedHeader?> GetHeaderAsync(ulong height, CancellationToken cancellationToken);
}
