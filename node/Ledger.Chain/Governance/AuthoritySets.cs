using System.Globalization;
using Ledger.Core;
using Ledger.Core.Execution;
using Ledger.Core.Genesis;
using Ledger.Core.Governance;
using Ledger.Core.State;
using Ledger.Crypto.Certificates;

namespace Ledger.Chain.Governance;

/// <summary>
/// The chain's city CAs by height, as the state records them (<see cref="GovernanceKeys.Authorities"/>; genesis's alone until
/// a CA change passes). Two jobs:
/// <list type="bullet">
/// <item>Chain building: every CA the committed chain has named (even one not counting yet, or retired) is trusted by the
/// node's certificate checks (<see cref="Extend"/>, <see cref="Refresh"/>), so a certificate under it resolves the same on
/// every node;</item>
/// <item>Counting: whether a CA counts at a height is decided in the block, from the block's state
/// (<see cref="CheckerAt"/>), so every node gives the same receipt.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class AuthoritySets
{
    private readonly LedgerCertificate _root;
    private readonly List<CertificateChainValidator> _trusts = [];
    private readonly object _gate = new();
    private readonly Parsed _genesis;
    private volatile Parsed _committed;
    private volatile Parsed? _lastRead;

    /// <summary>A schedule with its CAs parsed and indexed by certificate id.</summary>
    private sealed class Parsed(byte[]? encoded, AuthoritySchedule schedule, IReadOnlyList<(LedgerCertificate Certificate, ScheduledAuthority Entry)> entries)
    {
        public byte[]? Encoded { get; } = encoded;
        public AuthoritySchedule Schedule { get; } = schedule;
        public IReadOnlyList<(LedgerCertificate Certificate, ScheduledAuthority Entry)> Entries { get; } = entries;
        public Dictionary<Hash32, ScheduledAuthority> ById { get; } = entries.ToDictionary(e => e.Certificate.Id, e => e.Entry);
    }

    public AuthoritySets(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        _root = LedgerCertificate.FromPem(genesis.RootCertificate);
        RootOnly = new CertificateChainValidator(_root, [], []);
        var intermediates = genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem).ToArray();
        GenesisSchedule = AuthoritySchedule.FromGenesis(intermediates.Select(c => (ReadOnlyMemory<byte>)c.Der));
        _genesis = new Parsed(null, GenesisSchedule, [.. intermediates.Select(c => (c, new ScheduledAuthority(c.Der, 1)))]);
        _committed = _genesis;
    }

    /// <summary>Genesis's CAs, each counting from height 1.</summary>
    public AuthoritySchedule GenesisSchedule { get; }

    /// <summary>The root of genesis (it never changes: a new root is a new chain).</summary>
    public LedgerCertificate Root => _root;

    /// <summary>Trusts the root alone: a city CA proposed by governance must chain to it directly.</summary>
    public CertificateChainValidator RootOnly { get; }

    /// <summary>The committed schedule (as of the last refresh).</summary>
    public AuthoritySchedule Schedule => _committed.Schedule;

    /// <summary>Makes <paramref name="trust"/> trust every CA the committed chain names, now and after every refresh.</summary>
    public void Extend(CertificateChainValidator trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        lock (_gate)
        {
            _trusts.Add(trust);
            trust.Trust(_committed.Entries.Select(e => e.Certificate));
        }
    }

    /// <summary>Takes the schedule of the committed state (after each commit, and at startup). Cheap when it did not change.</summary>
    public void Refresh(IStateStore committed)
    {
        ArgumentNullException.ThrowIfNull(committed);
        if (committed.Get(GovernanceKeys.Authorities) is not { } bytes) return;
        lock (_gate)
        {
            if (_committed.Encoded is { } known && known.AsSpan().SequenceEqual(bytes)) return;
            _committed = Parse(bytes);
            foreach (var trust in _trusts) trust.Trust(_committed.Entries.Select(e => e.Certificate));
        }
    }

    /// <summary>The schedule in a state (a block's, or the committed one): genesis's when no CA change ever passed.</summary>
    public AuthoritySchedule ScheduleIn(IStateStore state) => ParsedIn(state).Schedule;

    /// <summary>The root and every CA named in <paramref name="state"/>: the CAs whose CRLs the chain records.</summary>
    public IReadOnlyList<LedgerCertificate> AllIn(IStateStore state) => [_root, .. ParsedIn(state).Entries.Select(e => e.Certificate)];

    /// <summary>
    /// The CAs a proof of a block at <paramref name="height"/> carries (PEM): every CA of the committed schedule that counts
    /// at that height and is within its validity at <paramref name="blockTime"/> — those, and only those, a tx the block
    /// accepted can have been endorsed under (verifiers check each carried CA at the block's time).
    /// </summary>
    public IReadOnlyList<string> PemsAt(ulong height, long blockTime)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(blockTime);
        return [.. _committed.Entries
            .Where(e => e.Entry.CountsAt(height) && e.Certificate.NotBefore <= at && at <= e.Certificate.NotAfter)
            .Select(e => e.Certificate.ToPem())];
    }

    /// <summary>Whether the CA <paramref name="authority"/> counts at <paramref name="height"/> in <paramref name="state"/>.</summary>
    public bool CountsAt(IStateStore state, Hash32 authority, ulong height) =>
        ParsedIn(state).ById.TryGetValue(authority, out var entry) && entry.CountsAt(height);

    /// <summary>
    /// For the block at <paramref name="height"/>: a check giving the first endorsement issued under a CA that does not count
    /// at that height (added for a later height, or retired) as a refusal, else null. The schedule is read once per block;
    /// the check is null while genesis's CAs are all there is. A change passed inside the block takes effect at least the activation
    /// delay later, so whether a CA counts at this height cannot change within the block.
    /// </summary>
    public Func<IReadOnlyList<VerifiedEndorsement>, ExecutionResult?>? CheckerAt(ulong height, IStateStore blockState)
    {
        ArgumentNullException.ThrowIfNull(blockState);
        if (blockState.Get(GovernanceKeys.Authorities) is not { } bytes) return null;
        var parsed = Cached(bytes);
        return endorsements => Refusal(parsed, endorsements, height);
    }

    private static ExecutionResult? Refusal(Parsed parsed, IReadOnlyList<VerifiedEndorsement> endorsements, ulong height)
    {
        ArgumentNullException.ThrowIfNull(endorsements);
        foreach (var endorsement in endorsements)
        {
            foreach (var authority in endorsement.Authorities)
            {
                if (parsed.ById.TryGetValue(authority, out var entry) && entry.CountsAt(height)) continue;
                var when = entry is null ? "is not a CA of this chain"
                    : height < entry.FromHeight ? string.Create(CultureInfo.InvariantCulture, $"counts only from height {entry.FromHeight}")
                    : string.Create(CultureInfo.InvariantCulture, $"was retired at height {entry.UntilHeight}");
                return ExecutionResult.Reject(ErrorCode.AuthorityNotCounting, string.Create(CultureInfo.InvariantCulture,
                    $"the certificate of {endorsement.Signer.CommonName ?? endorsement.Signer.KeyId.ToString()} was issued by CA {authority}, which {when} (this block is height {height})"));
            }
        }
        return null;
    }

    private Parsed ParsedIn(IStateStore state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Get(GovernanceKeys.Authorities) is { } bytes ? Cached(bytes) : _genesis;
    }

    /// <summary>The parsed form of <paramref name="bytes"/>: the committed schedule's or the last one read, else parsed now.</summary>
    private Parsed Cached(byte[] bytes)
    {
        var committed = _committed;
        if (committed.Encoded is { } c && c.AsSpan().SequenceEqual(bytes)) return committed;
        var last = _lastRead;
        if (last?.Encoded is { } l && l.AsSpan().SequenceEqual(bytes)) return last;
        var parsed = Parse(bytes);
        _lastRead = parsed;
        return parsed;
    }

    private static Parsed Parse(byte[] bytes)
    {
        var schedule = AuthoritySchedule.Decode(bytes);
        return new Parsed(bytes, schedule, [.. schedule.Entries.Select(e => (LedgerCertificate.FromDer(e.Certificate.ToArray()), e))]);
    }
}
