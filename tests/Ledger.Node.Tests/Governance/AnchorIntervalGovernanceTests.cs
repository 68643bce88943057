using Ledger.Anchor;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Governance;
using Ledger.Node.Tests.Grpc;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Governance;

/// <summary>
/// The anchoring interval as chain parameters: genesis sets it, a vote changes it from a height (only from protocol version 4:
/// a version-3 height refuses the proposal in the words version-3 software used), the node serves it in its chain info,
/// and the anchoring service's planner, reading a real chain over gRPC, picks its checkpoints by the value of each height.
/// </summary>
public class AnchorIntervalGovernanceTests
{
    private const int Delay = 4;

    private static ProposeParameterChangePayload Set(string parameter, ulong value, ulong at) => new() { Parameter = parameter, Value = value, EffectiveHeight = at };

    private static GovernanceChain NewChain(AnchoringParameters? anchoring, int version = ProtocolVersions.Current)
    {
        var consortium = new TestConsortium(validators: 4);
        var chain = new GovernanceChain(consortium, Delay, genesis: consortium.Genesis with { Anchoring = anchoring, ProtocolVersion = version });
        chain.Keys.AddRange(consortium.Validators);
        return chain;
    }

    private static async Task<ulong?> Next(CheckpointPlanner planner, ulong baseHeight) =>
        (await planner.NextAsync(baseHeight, CancellationToken.None))?.Checkpoint.Height;

    [Test]
    public async Task A_voted_interval_takes_effect_at_its_height_and_the_anchor_planner_follows_it_over_grpc()
    {
        var c = NewChain(new AnchoringParameters { IntervalBlocks = 6, IntervalSeconds = 3600 });
        await using var host = await GrpcTestHost.StartAsync(c.Ledger);
        using var client = host.Connect();
        var planner = new CheckpointPlanner(new LedgerCheckpointSource(client));

        c.BlocksUntil(5);
        Assert.That(await Next(planner, 0), Is.Null, "five blocks: the genesis interval of six is not reached");
        c.Block();
        Assert.That(await Next(planner, 0), Is.EqualTo(6));

        var at = c.Height + 12;
        c.Pass(Set(ChainParameter.AnchorIntervalBlocks, 3, at));
        var info = await client.GetChainInfoAsync();
        Assert.That(info.Parameters.ValueAt(ChainParameter.AnchorIntervalBlocks, at - 1), Is.EqualTo(6), "the node serves genesis's value below the height");
        Assert.That(info.Parameters.ValueAt(ChainParameter.AnchorIntervalBlocks, at), Is.EqualTo(3), "and the voted one from it");
        Assert.That(info.Parameters.ValueAt(ChainParameter.AnchorIntervalSeconds, at), Is.EqualTo(3600));

        c.BlocksUntil(at + 8);
        Assert.That(await Next(new CheckpointPlanner(new LedgerCheckpointSource(client)), at - 5), Is.EqualTo(at),
            "four blocks above the base at at − 1 are not six; at the voted height five are more than three");
        Assert.That(await Next(planner, at - 8), Is.EqualTo(at - 2), "below the height, six blocks still");
        Assert.That(await Next(planner, at), Is.EqualTo(at + 3));

        // Time: thirty seconds from a later height; a block half a minute or more after the base is due before three blocks.
        var later = c.Height + 12;
        c.Pass(Set(ChainParameter.AnchorIntervalSeconds, 30, later));
        c.BlocksUntil(later);
        c.Clock.Advance(TimeSpan.FromMinutes(10));
        c.Block();
        var gap = c.Ledger.GetBlock(later + 1)!.Header.Timestamp - c.Ledger.GetBlock(later)!.Header.Timestamp;
        Assert.That(gap, Is.GreaterThanOrEqualTo(30_000), "the test's own premise: block time jumped");
        Assert.That(await Next(planner, later), Is.EqualTo(later + 1));
        Assert.That(await Next(planner, later - 1), Is.EqualTo(later + 1), "from the block below: at the height itself one second is not thirty; the jump is");
    }

    [Test]
    public void A_version_3_height_refuses_an_anchor_parameter_as_version_3_software_did_and_version_4_takes_it()
    {
        var c = NewChain(anchoring: null, version: ProtocolVersions.V3);
        var v = c.Consortium.Validators;
        Assert.That(c.Ledger.Parameters.ValueAt(ChainParameter.AnchorIntervalBlocks, 1), Is.EqualTo(AnchoringParameters.Default.IntervalBlocks), "a genesis without anchoring: the default");
        var early = c.Propose(Set(ChainParameter.AnchorIntervalBlocks, 50, c.Height + 20), v[0]).Receipt;
        Assert.That(early.Code, Is.EqualTo(ErrorCode.InvalidFieldValue), early.Message);
        Assert.That(early.Message, Does.Contain("'anchor.intervalBlocks' is none of protocolVersion, consensus.blockIntervalMs, consensus.maxBlockTransactions, consensus.maxBlockBytes (at"));

        var upgrade = c.Height + 10;
        c.Pass(Set(ChainParameter.ProtocolVersion, ProtocolVersions.V4, upgrade));
        c.BlocksUntil(upgrade - 1);
        var (_, accepted) = c.Propose(Set(ChainParameter.AnchorIntervalBlocks, 50, c.Height + 20), v[0]);
        Assert.That(accepted.Code, Is.EqualTo(ErrorCode.Ok), accepted.Message);

        var follower = new GovernanceChain(c.Consortium, Delay, genesis: c.Genesis);
        var synced = follower.SyncFrom(c);
        Assert.That(synced.IsValid, Is.True, synced.ToString());
        Assert.That(follower.Ledger.Head.Hash, Is.EqualTo(c.Ledger.Head.Hash), "the version-3 refusal re-executes to the same receipt");
    }

    [TestCase(1UL, 60UL, ChainParameter.AnchorIntervalBlocks)]
    [TestCase(10UL, 0UL, ChainParameter.AnchorIntervalSeconds)]
    [TestCase(10UL, 31UL * 24 * 3600, ChainParameter.AnchorIntervalSeconds)]
    public void Genesis_and_proposals_keep_the_interval_within_its_bounds(ulong blocks, ulong seconds, string named)
    {
        var consortium = new TestConsortium();
        var json = (consortium.Genesis with { Anchoring = new AnchoringParameters { IntervalBlocks = blocks, IntervalSeconds = seconds } }).ToJson();
        var e = Assert.Throws<LedgerException>(() => GenesisDocument.FromJson(json));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(e.Message, Does.Contain(named));
        var value = named == ChainParameter.AnchorIntervalBlocks ? blocks : seconds;
        Assert.Throws<LedgerException>(() => ProposeParameterChangePayload.Decode(Set(named, value, 50).Encode()));
    }

    [Test]
    public void An_old_genesis_without_anchoring_keeps_its_bytes()
    {
        var consortium = new TestConsortium();
        var json = (consortium.Genesis with { Anchoring = null }).ToJson();
        Assert.That(json, Does.Not.Contain("anchoring"));
        Assert.That(GenesisDocument.FromJson(json).InitialAnchoring, Is.EqualTo(AnchoringParameters.Default));
    }
}
