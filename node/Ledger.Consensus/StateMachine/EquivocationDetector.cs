using Ledger.Consensus.Messages;
using Ledger.Core;

namespace Ledger.Consensus.StateMachine;

/// <summary>
/// Remembers the first authenticated payload per (validator, height, round, type); a second one that says something
/// else is equivocation, kept with the first as evidence (once per slot).
/// </summary>
internal sealed class EquivocationDetector
{
    private readonly Dictionary<(Hash32, ulong, uint, MessageType), SignedPayload> _first = [];
    private readonly HashSet<(Hash32, ulong, uint, MessageType)> _reported = [];
    private readonly List<EquivocationEvidence> _evidence = [];
    private readonly int _maxEvidence;

    public EquivocationDetector(int maxEvidence) => _maxEvidence = maxEvidence;

    public IReadOnlyList<EquivocationEvidence> Evidence => _evidence;

    /// <returns>True when this payload conflicts with an earlier one by the same validator.</returns>
    public bool Observe(SignedPayload signed)
    {
        var p = signed.Payload;
        var key = (signed.Signer, p.Height, p.Round, p.Type);
        if (!_first.TryGetValue(key, out var first))
        {
            _first.Add(key, signed);
            return false;
        }
        if (!Conflicts(first.Payload, p)) return false;
        if (_reported.Add(key) && _evidence.Count < _maxEvidence)
            _evidence.Add(new EquivocationEvidence(signed.Signer, p.Height, p.Round, p.Type, first, signed));
        return true;
    }

    public void ForgetBelow(ulong height)
    {
        foreach (var key in _first.Keys.Where(k => k.Item2 < height).ToList()) _first.Remove(key);
        _reported.RemoveWhere(k => k.Item2 < height);
    }

    /// <summary>Different blocks, or different prepared claims; a re-signed identical vote is not equivocation.</summary>
    private static bool Conflicts(ConsensusPayload a, ConsensusPayload b) =>
        a.Type == MessageType.RoundChange
            ? a.PreparedRound != b.PreparedRound || a.PreparedDigest != b.PreparedDigest
            : a.Digest != b.Digest;
}
