using Ledger.Chain.Governance;
using Microsoft.Extensions.Logging;

namespace Ledger.Chain;

/// <summary>
/// This validator's identities: the one its config names and the next ones it was given for a re-certification by
/// governance (a Replace of its certificate under the same name). At each height it decides with the newest of them the
/// height's set holds, so it switches to its next key at the height the Replace takes effect, without a restart.
/// </summary>
public sealed class NodeIdentities
{
    private readonly ValidatorSets? _validators;
    private readonly ILogger? _logger;
    private readonly Lock _lock = new();
    private (ulong Height, NodeIdentity Identity) _last;

    public NodeIdentities(NodeIdentity primary, IReadOnlyList<NodeIdentity> next, ValidatorSets? validators, ILogger? logger = null)
    {
        Primary = primary;
        All = [primary, .. next];
        _validators = validators;
        _logger = logger;
        _last = (0, primary);
    }

    /// <summary>The identity of the config's <c>key</c> and <c>certificate</c>.</summary>
    public NodeIdentity Primary { get; }

    /// <summary>One identity and no next: every height is decided with it.</summary>
    public static NodeIdentities Single(NodeIdentity identity) => new(identity, [], null);

    /// <summary>The primary, then the next ones, in the config's order.</summary>
    public IReadOnlyList<NodeIdentity> All { get; }

    /// <summary>The newest identity whose certificate is in the set deciding <paramref name="height"/>; the primary when none is.</summary>
    public NodeIdentity At(ulong height)
    {
        if (All.Count == 1 || _validators is null) return Primary;
        var set = _validators.At(height);
        var chosen = Primary;
        for (var i = All.Count - 1; i >= 0; i--)
        {
            if (set.Find(All[i].Certificate.Id) is null) continue;
            chosen = All[i];
            break;
        }
        lock (_lock)
        {
            if (height > _last.Height)
            {
                if (!ReferenceEquals(chosen, _last.Identity) && _last.Height > 0)
                    _logger?.LogInformation("{Name} decides height {Height} with certificate {Certificate} (until now {Previous}): its re-certification took effect",
                        chosen.Name, height, chosen.Certificate.Id, _last.Identity.Certificate.Id);
                _last = (height, chosen);
            }
        }
        return chosen;
    }
}
