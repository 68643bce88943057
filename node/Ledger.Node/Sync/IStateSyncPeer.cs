using Ledger.Chain;
using Ledger.Client;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;

namespace Ledger.Node.Sync;

/// <summary>What a state sync asks of a peer. Nothing it answers is trusted: <see cref="StateSync"/> checks all of it.</summary>
public interface IStateSyncPeer
{
    string Name { get; }

    /// <summary>The peer's head height and its count of committed txs there.</summary>
    Task<(ulong Height, ulong TotalTransactions)> GetHeadAsync(CancellationToken cancellationToken);

    Task<Block?> GetBlockAsync(ulong height, CancellationToken cancellationToken);

    Task<BlockHeader?> GetHeaderAsync(ulong height, CancellationToken cancellationToken);

    Task<ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken cancellationToken);

    Task<IReadOnlyList<byte[]?>> GetStateNodesAsync(IReadOnlyList<Hash32> hashes, CancellationToken cancellationToken);
}

/// <summary>A peer over the public gRPC API, called with the syncing node's own certificate (validators and observers only).</summary>
public sealed class ClientStateSyncPeer(string name, LedgerClient client) : IStateSyncPeer
{
    public string Name => name;

    public async Task<(ulong Height, ulong TotalTransactions)> GetHeadAsync(CancellationToken cancellationToken)
    {
        var info = await client.GetChainInfoAsync(cancellationToken).ConfigureAwait(false);
        return (info.Height, info.TotalTransactions);
    }

    public Task<Block?> GetBlockAsync(ulong height, CancellationToken cancellationToken) => client.GetBlockAsync(height, cancellationToken);

    public Task<BlockHeader?> GetHeaderAsync(ulong height, CancellationToken cancellationToken) => client.GetBlockHeaderAsync(height, cancellationToken);

    public Task<ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken cancellationToken) => client.GetValidatorSetAsync(height, cancellationToken);

    public Task<IReadOnlyList<byte[]?>> GetStateNodesAsync(IReadOnlyList<Hash32> hashes, CancellationToken cancellationToken) =>
        client.GetStateNodesAsync(hashes, cancellationToken);
}

/// <summary>A peer in this process (tests, the benchmark): another node's chain answering directly.</summary>
public sealed class LocalStateSyncPeer(string name, ILedgerApi api) : IStateSyncPeer
{
    public string Name => name;

    public Task<(ulong Height, ulong TotalTransactions)> GetHeadAsync(CancellationToken cancellationToken)
    {
        var info = api.GetChainInfo();
        return Task.FromResult((info.Height, info.TotalTransactions));
    }

    public Task<Block?> GetBlockAsync(ulong height, CancellationToken cancellationToken) => Task.FromResult(api.GetBlock(height));

    public Task<BlockHeader?> GetHeaderAsync(ulong height, CancellationToken cancellationToken) => Task.FromResult(api.GetBlock(height)?.Header);

    public Task<ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken cancellationToken) => Task.FromResult(api.GetValidatorSet(height));

    public Task<IReadOnlyList<byte[]?>> GetStateNodesAsync(IReadOnlyList<Hash32> hashes, CancellationToken cancellationToken) => Task.FromResult(api.GetStateNodes(hashes));
}
