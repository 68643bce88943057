using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus;

/// <summary>
/// The validator set of one height, as consensus uses it. Proposer rotation: the validators sorted by certificate id
/// (byte order), and proposer(h, r) = sorted[(h + r) mod n] — each height starts one further along, and each round change
/// moves to the next validator, so a crashed proposer costs one round.
/// </summary>
public sealed class ValidatorView
{
    private readonly Hash32[] _sorted;
    private readonly HashSet<Hash32> _members;

    public ValidatorView(IEnumerable<Hash32> validators)
    {
        _sorted = validators.Distinct().Order().ToArray();
        if (_sorted.Length == 0) throw new ArgumentException("a validator set is never empty", nameof(validators));
        _members = [.. _sorted];
    }

    public IReadOnlyList<Hash32> Sorted => _sorted;

    public int Count => _sorted.Length;

    /// <summary>⌈2n/3⌉ (<see cref="ValidatorSet.Quorum"/>).</summary>
    public int Quorum => ValidatorSet.Quorum(_sorted.Length);

    /// <summary>f = ⌊(n − 1)/3⌋ faults tolerated; f + 1 validators include an honest one (the round-skip rule).</summary>
    public int FaultTolerance => (_sorted.Length - 1) / 3;

    public bool Contains(Hash32 validator) => _members.Contains(validator);

    public Hash32 Proposer(ulong height, uint round) => _sorted[(int)((height + round) % (ulong)_sorted.Length)];
}
