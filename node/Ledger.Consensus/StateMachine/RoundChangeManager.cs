using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.StateMachine;

/// <summary>
/// The ROUND-CHANGEs of one height: a few of the highest rounds per validator (so a Byzantine one cannot fill memory
/// with far rounds). Answers Moniz's two questions: do f+1 validators want a round above mine (skip to the lowest such
/// round that f+1 of them reached), and is there a quorum for a given round.
/// </summary>
internal sealed class RoundChangeManager
{
    private const int KeptPerValidator = 4;

    private readonly Dictionary<Hash32, SortedList<uint, SignedMessage>> _byValidator = [];

    /// <returns>Ok, or DuplicateMessage when the validator already has one for the round.</returns>
    public ErrorCode Add(SignedMessage roundChange)
    {
        if (!_byValidator.TryGetValue(roundChange.Signer, out var rounds)) _byValidator[roundChange.Signer] = rounds = [];
        if (rounds.ContainsKey(roundChange.Round)) return ErrorCode.DuplicateMessage;
        rounds.Add(roundChange.Round, roundChange);
        if (rounds.Count > KeptPerValidator) rounds.RemoveAt(0);
        return ErrorCode.Ok;
    }

    public IReadOnlyList<SignedMessage> For(uint round) =>
        _byValidator.Values.Select(r => r.GetValueOrDefault(round)).OfType<SignedMessage>().OrderBy(m => m.Signer).ToList();

    /// <summary>
    /// Moniz Algorithm 3: on f+1 ROUND-CHANGEs for rounds above the current one, move to the smallest of them. Taking the
    /// f+1 highest validators' rounds, the smallest among those is the highest round that f+1 validators (so at least one
    /// honest one) have reached or passed.
    /// </summary>
    public uint? RoundToSkipTo(uint current, int faultTolerance)
    {
        var highest = _byValidator.Values.Where(r => r.Count > 0).Select(r => r.Keys[^1]).Where(r => r > current)
            .OrderDescending().ToList();
        return highest.Count >= faultTolerance + 1 ? highest[faultTolerance] : null;
    }

    public void ForgetBelow(uint round)
    {
        foreach (var rounds in _byValidator.Values)
            while (rounds.Count > 0 && rounds.Keys[0] < round) rounds.RemoveAt(0);
    }
}
