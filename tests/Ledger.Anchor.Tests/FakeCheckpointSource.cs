using Ledger.Crypto;

namespace Ledger.Anchor.Tests;

/// <summary>Our chain as a height counter: the checkpoint of height h has hashes derived from h, so tests know them.</summary>
public sealed class FakeCheckpointSource(string chainId) : ICheckpointSource
{
    private long _head;

    public ulong Head
    {
        get => (ulong)Interlocked.Read(ref _head);
        set => Interlocked.Exchange(ref _head, (long)value);
    }

    public Checkpoint At(ulong height) => new(chainId, height,
        Sm3Hasher.Instance.Hash(System.Text.Encoding.UTF8.GetBytes($"block {height}")),
        Sm3Hasher.Instance.Hash(System.Text.Encoding.UTF8.GetBytes("validators")),
        Sm3Hasher.Instance.Hash(System.Text.Encoding.UTF8.GetBytes($"certificate {height}")));

    public Task<Checkpoint?> TryGetAsync(ulong height, CancellationToken cancellationToken) =>
        Task.FromResult(height <= Head ? At(height) : null);

}
