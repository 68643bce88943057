using System.Globalization;
using Ledger.Core;

namespace Ledger.Anchor;

/// <summary>
/// Which block is the next checkpoint after an anchored one (the base): the first block above it that is either
/// intervalBlocks above it or whose time is at least intervalSeconds after the base block's time — whichever comes first,
/// each with the value in force at the candidate's height. Block times are the chain's certified ones, so every reader
/// of the chain finds the same checkpoints (a restart, a lost state file, a second service), never the service's clock.
/// Remembers how far it has looked past a base, so polling a chain that grows reads each header once.
/// </summary>
public sealed class CheckpointPlanner(ICheckpointSource source)
{
    private ulong? _base;
    private long _baseTime;
    private ulong _scanned;

    /// <summary>Whether <paramref name="height"/> (at <paramref name="time"/>) is due after a base at <paramref name="baseHeight"/> (at <paramref name="baseTime"/>).</summary>
    public static bool IsDue(ulong baseHeight, long baseTime, ulong height, long time, ulong intervalBlocks, ulong intervalSeconds) =>
        height - baseHeight >= intervalBlocks || time - baseTime >= checked((long)intervalSeconds * 1000);

    /// <summary>The next checkpoint after <paramref name="baseHeight"/>, or null while the chain has no block that is due yet.</summary>
    public async Task<SourcedCheckpoint?> NextAsync(ulong baseHeight, CancellationToken cancellationToken)
    {
        if (_base != baseHeight)
        {
            if (await source.BlockTimeAsync(baseHeight, cancellationToken).ConfigureAwait(false) is not { } baseTime) return null;
            (_base, _baseTime, _scanned) = (baseHeight, baseTime, baseHeight);
        }
        var interval = await source.GetIntervalAsync(cancellationToken).ConfigureAwait(false);
        for (var height = _scanned + 1; height <= interval.KnownUpTo; height++)
        {
            var candidate = await source.TryGetAsync(height, cancellationToken).ConfigureAwait(false);
            if (candidate is null) return null;
            if (candidate.BlockTime < _baseTime)
                throw new LedgerException(ErrorCode.BlockTimeNotAfterParent, string.Create(CultureInfo.InvariantCulture,
                    $"block {height} has an earlier time ({candidate.BlockTime}) than block {baseHeight} ({_baseTime})"));
            if (IsDue(baseHeight, _baseTime, height, candidate.BlockTime, interval.BlocksAt(height), interval.SecondsAt(height))) return candidate;
            _scanned = height;
        }
        return null;
    }
}
