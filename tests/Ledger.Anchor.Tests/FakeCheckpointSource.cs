using Ledger.Core.Governance;
using Ledger.Crypto;

namespace Ledger.Anchor.Tests;

/// <summary>
/// Our chain as a height counter: the checkpoint of height h has hashes derived from h, so tests know them; block h's
/// time is <see cref="TimeOf"/> (a second a block unless a test says otherwise); the anchoring interval is
/// <see cref="Parameters"/>, served as of the head.
/// </summary>
public sealed class FakeCheckpointSource(string chainId, ulong intervalBlocks = 5, ulong intervalSeconds = 1_000_000) : ICheckpointSource
{
    public const long GenesisTime = 1_800_000_000_000;

    private long _head;

    public ulong Head
    {
        get => (ulong)Interlocked.Read(ref _head);
        set => Interlocked.Exchange(ref _head, (long)value);
    }

    public Func<ulong, long> TimeOf { get; set; } = h => GenesisTime + (long)h * 1000;

    public ParameterValues Parameters { get; set; } = new(new Dictionary<string, ulong>
    {
        [ChainParameter.AnchorIntervalBlocks] = intervalBlocks,
        [ChainParameter.AnchorIntervalSeconds] = intervalSeconds,
    }, ParameterSchedule.Empty);

    public Checkpoint At(ulong height) => new(chainId, height,
        Sm3Hasher.Instance.Hash(System.Text.Encoding.UTF8.GetBytes($"block {height}")),
        Sm3Hasher.Instance.Hash(System.Text.Encoding.UTF8.GetBytes("validators")),
        Sm3Hasher.Instance.Hash(System.Text.Encoding.UTF8.GetBytes($"certificate {height}")));

    public Task<SourcedCheckpoint?> TryGetAsync(ulong height, CancellationToken cancellationToken) =>
        Task.FromResult(height <= Head ? new SourcedCheckpoint(At(height), TimeOf(height)) : null);

    public Task<long?> BlockTimeAsync(ulong height, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(height <= Head ? TimeOf(height) : null);

    public Task<AnchorInterval> GetIntervalAsync(CancellationToken cancellationToken) => Task.FromResult(new AnchorInterval(Head, Parameters));
}
