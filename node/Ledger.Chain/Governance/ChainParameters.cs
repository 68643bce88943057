using System.Globalization;
using Ledger.Chain.Production;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Governance;
using Ledger.Core.State;

namespace Ledger.Chain.Governance;

/// <summary>
/// The chain's parameters by height: genesis's values, then those governance scheduled (<see cref="GovernanceKeys.Parameters"/>).
/// The executor reads a block's protocol version from the block's own state; proposers read their limits from the
/// committed schedule, refreshed after every commit. Thread-safe.
/// </summary>
public sealed class ChainParameters
{
    private readonly GenesisDocument _genesis;
    private volatile Loaded _committed = new(null, ParameterSchedule.Empty);

    /// <summary>The committed schedule and the bytes it was read from, replaced whole.</summary>
    private sealed record Loaded(byte[]? Bytes, ParameterSchedule Schedule);

    public ChainParameters(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        _genesis = genesis;
    }

    /// <summary>The committed schedule (as of the last refresh).</summary>
    public ParameterSchedule Schedule => _committed.Schedule;

    /// <summary>Genesis's value of a parameter: what holds until governance schedules another.</summary>
    public ulong GenesisValue(string parameter) => parameter switch
    {
        ChainParameter.ProtocolVersion => (ulong)_genesis.InitialProtocolVersion,
        ChainParameter.BlockIntervalMs => (ulong)_genesis.Consensus.BlockIntervalMs,
        ChainParameter.MaxBlockTransactions => (ulong)_genesis.Consensus.MaxBlockTransactions,
        ChainParameter.MaxBlockBytes => (ulong)_genesis.Consensus.MaxBlockBytes,
        ChainParameter.AnchorIntervalBlocks => _genesis.InitialAnchoring.IntervalBlocks,
        ChainParameter.AnchorIntervalSeconds => _genesis.InitialAnchoring.IntervalSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "not a chain parameter"),
    };

    /// <summary>Every parameter's genesis value and the committed schedule (as of the last refresh).</summary>
    public ParameterValues Values => new(ChainParameter.Bounds.Keys.ToDictionary(p => p, GenesisValue, StringComparer.Ordinal), _committed.Schedule);

    /// <summary>The committed value of <paramref name="parameter"/> at <paramref name="height"/>.</summary>
    public ulong ValueAt(string parameter, ulong height) => _committed.Schedule.ValueAt(parameter, height, GenesisValue(parameter));

    /// <summary>The protocol version <paramref name="height"/> runs, as the committed chain knows.</summary>
    public int ProtocolAt(ulong height) => (int)ValueAt(ChainParameter.ProtocolVersion, height);

    /// <summary>The schedule in a state (a block's, or the committed one): empty when governance never changed a parameter.</summary>
    public ParameterSchedule ScheduleIn(IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Get(GovernanceKeys.Parameters) is not { } bytes) return ParameterSchedule.Empty;
        var committed = _committed;
        return committed.Bytes is { } known && known.AsSpan().SequenceEqual(bytes) ? committed.Schedule : ParameterSchedule.Decode(bytes);
    }

    /// <summary>The protocol version <paramref name="height"/> runs in <paramref name="state"/>.</summary>
    public int ProtocolIn(IStateStore state, ulong height) =>
        (int)ScheduleIn(state).ValueAt(ChainParameter.ProtocolVersion, height, GenesisValue(ChainParameter.ProtocolVersion));

    /// <summary>
    /// Refuses to execute <paramref name="height"/> when it runs a version this software does not know: the node stops
    /// there rather than deciding by other rules than its upgraded peers.
    /// </summary>
    public static void RequireSupported(int version, ulong height)
    {
        if (version > ProtocolVersions.Current)
            throw new LedgerException(ErrorCode.ProtocolVersionUnsupported, string.Create(CultureInfo.InvariantCulture,
                $"height {height} runs protocol version {version}; this software runs up to {ProtocolVersions.Current}: upgrade the node (the validators voted the version in)"));
    }

    /// <summary>A proposer's limits at <paramref name="height"/>: genesis's, or what governance changed them to.</summary>
    public ProducerOptions ProducerAt(ulong height) => new()
    {
        BlockInterval = TimeSpan.FromMilliseconds(ValueAt(ChainParameter.BlockIntervalMs, height)),
        MaxBlockTransactions = (int)ValueAt(ChainParameter.MaxBlockTransactions, height),
        MaxBlockBytes = (long)ValueAt(ChainParameter.MaxBlockBytes, height),
    };

    /// <summary>Takes the schedule of the committed state (after each commit, and at startup). Cheap when it did not change.</summary>
    public void Refresh(IStateStore committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        if (committed.Get(GovernanceKeys.Parameters) is not { } bytes) return;
        if (_committed.Bytes is { } known && known.AsSpan().SequenceEqual(bytes)) return;
        _committed = new Loaded(bytes, ParameterSchedule.Decode(bytes));
    }
}
