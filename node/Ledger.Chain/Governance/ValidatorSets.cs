using Ledger.Core;
using Ledger.Core.Crypto;
using Ledger.Core.Genesis;
using Ledger.Core.Governance;
using Ledger.Core.State;

namespace Ledger.Chain.Governance;

/// <summary>
/// The validator sets of the chain by height, as the committed state records them (<see cref="GovernanceKeys.Schedule"/>;
/// genesis's set alone until a change passes). Consensus, block rules and peers ask it for the set of a height; the chain
/// refreshes it after every commit. A change takes effect at least the activation delay after it passes, so the set of
/// the next height is always known when that height starts. Thread-safe: readers see one schedule or the next, whole.
/// </summary>
public sealed class ValidatorSets
{
    private readonly IHasher _hasher;
    private readonly byte[] _genesisEncoded;
    private volatile Entry[] _entries;
    private byte[]? _loaded;

    private sealed record Entry(ulong FromHeight, ValidatorSetInfo Set);

    public ValidatorSets(GenesisDocument genesis, IHasher hasher)
    {
        _hasher = hasher;
        Genesis = new ValidatorSetInfo(genesis, hasher);
        GenesisSchedule = new ValidatorSchedule([new ScheduledSet(1, Genesis.Members)]);
        _genesisEncoded = GenesisSchedule.Encode();
        _entries = [new Entry(1, Genesis)];
        Schedule = GenesisSchedule;
    }

    /// <summary>The committed schedule (as of the last refresh).</summary>
    public ValidatorSchedule Schedule { get; private set; }

    /// <summary>The set genesis names (it decides from height 1 until a change takes effect).</summary>
    public ValidatorSetInfo Genesis { get; }

    /// <summary>The schedule while no change has passed.</summary>
    public ValidatorSchedule GenesisSchedule { get; }

    /// <summary>The set deciding <paramref name="height"/>, as far as the committed chain knows.</summary>
    public ValidatorSetInfo At(ulong height)
    {
        var entries = _entries;
        var found = entries[0].Set;
        foreach (var entry in entries)
        {
            if (entry.FromHeight > height) break;
            found = entry.Set;
        }
        return found;
    }

    /// <summary>Every set scheduled from <paramref name="height"/> on, the one deciding it first (peers of now and soon).</summary>
    public IEnumerable<ValidatorSetInfo> From(ulong height)
    {
        var entries = _entries;
        yield return At(height);
        foreach (var entry in entries)
            if (entry.FromHeight > height) yield return entry.Set;
    }

    /// <summary>The certificate of <paramref name="id"/> in any set from <paramref name="height"/> on, with its name; null if none.</summary>
    public (Crypto.Certificates.LedgerCertificate Certificate, string Name)? FindFrom(ulong height, Hash32 id)
    {
        foreach (var set in From(height))
            if (set.Find(id) is { } certificate) return (certificate, set.Names[id]);
        return null;
    }

    /// <summary>The certificate of <paramref name="id"/> in any set the chain has had or scheduled; null if none.</summary>
    public Crypto.Certificates.LedgerCertificate? FindAny(Hash32 id)
    {
        foreach (var entry in _entries)
            if (entry.Set.Find(id) is { } certificate) return certificate;
        return null;
    }

    /// <summary>The name of <paramref name="id"/> in any set the chain has had or scheduled; null if none.</summary>
    public string? NameOf(Hash32 id)
    {
        foreach (var entry in _entries)
            if (entry.Set.Names.TryGetValue(id, out var name)) return name;
        return null;
    }

    /// <summary>The schedule in a state (a block's, or the committed one): genesis's when no change ever passed.</summary>
    public ValidatorSchedule ScheduleIn(IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Get(GovernanceKeys.Schedule) is { } bytes ? ValidatorSchedule.Decode(bytes) : GenesisSchedule;
    }

    /// <summary>Takes the schedule of the committed state (after each commit, and at startup). Cheap when it did not change.</summary>
    public void Refresh(IStateStore committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        var bytes = committed.Get(GovernanceKeys.Schedule) ?? _genesisEncoded;
        if (_loaded is not null && bytes.AsSpan().SequenceEqual(_loaded)) return;
        var schedule = ValidatorSchedule.Decode(bytes);
        var previous = _entries;
        _entries = schedule.Sets.Select(s =>
        {
            // Sets that did not change keep their parsed form (certificates parse once).
            var same = previous.FirstOrDefault(e => e.Set.Members.SequenceEqual(s.Members));
            return new Entry(s.FromHeight, same?.Set ?? new ValidatorSetInfo(s.Members, _hasher));
        }).ToArray();
        _loaded = bytes;
        Schedule = schedule;
        Changed?.Invoke();
    }

    /// <summary>Raised when a refresh brought a new schedule.</summary>
    public event Action? Changed;

    /// <summary>How many sets the schedule holds (1 while genesis's is the only one).</summary>
    public int Count => _entries.Length;
}
