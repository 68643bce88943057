using Ledger.Chain;
using Ledger.Chain.Governance;
using Ledger.Network;

namespace Ledger.Node.Qbft;

/// <summary>
/// How far the other validators committed, as far as this validator can trust it: the (f+1)-th highest head reported by
/// the validators of the next height's set, so at least one correct validator vouches for it (one faulty validator
/// reporting a huge height cannot silence everyone). <see cref="Known"/> once enough peers reported: a quorum with this
/// validator (or every configured peer, in a smaller config).
/// </summary>
public sealed class PeersCommitted(PeerNetwork network, ValidatorSets validators, LedgerChain chain)
{
    public readonly record struct Reading(bool Known, ulong Height, int Reported, int Needed);

    public Reading Read()
    {
        var set = validators.At(chain.Head.Height + 1);
        var ids = set.Certificates.Select(c => c.Id).ToHashSet();
        var peers = network.Peers;
        var heights = peers.Where(p => p.ValidatorId is { } id && ids.Contains(id) && p.Height is not null)
            .Select(p => p.Height!.Value).OrderDescending().ToList();
        var faults = (set.Count - 1) / 3;
        var vouched = heights.Count > faults ? heights[faults] : 0;
        var needed = Math.Min(set.Quorum - 1, peers.Count);
        return new Reading(heights.Count >= needed, vouched, heights.Count, needed);
    }
}
