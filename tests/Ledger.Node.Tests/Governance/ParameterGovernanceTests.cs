using Ledger.Chain.Governance;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit.Network;

namespace Ledger.Node.Tests.Governance;

/// <summary>
/// Protocol versions and chain parameters by vote: a chain started at version 1 refuses what version 2 introduces until
/// the validators activate version 2 at a height, and re-executes its old blocks exactly as they were decided; a height
/// running a version this software does not know stops the node instead of forking it; a proposer's limits follow the
/// parameters of the height; and every proposal that cannot apply is refused.
/// </summary>
public class ParameterGovernanceTests
{
    private const int Delay = 4;

    private static GovernanceChain NewChain(out TestConsortium consortium, int genesisVersion = ProtocolVersions.Current, IKeyValueStore? kv = null)
    {
        consortium = new TestConsortium(validators: 4);
        var chain = new GovernanceChain(consortium, Delay, kv, consortium.Genesis with { ProtocolVersion = genesisVersion });
        chain.Keys.AddRange(consortium.Validators);
        return chain;
    }

    private static ProposeAuthorityChangePayload AddFoshan(TestConsortium consortium, ulong at) => new()
    {
        Change = AuthorityChange.Add,
        Certificate = consortium.Root.IssueIntermediate("Foshan HRSS CA", DivisionCode.Parse("440600"), Sm2PrivateKey.Generate(),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2)).Certificate.Der,
        EffectiveHeight = at,
    };

    private static ProposeParameterChangePayload Set(string parameter, ulong value, ulong at) => new() { Parameter = parameter, Value = value, EffectiveHeight = at };

    [Test]
    public void A_version_1_chain_takes_version_2_rules_only_from_the_voted_height_and_replays_its_old_blocks_alike()
    {
        var c = NewChain(out var consortium, genesisVersion: ProtocolVersions.V1);
        Assert.That(c.Ledger.Parameters.ProtocolAt(1), Is.EqualTo(1));
        var early = c.Propose(AddFoshan(consortium, c.Height + 20), consortium.Validators[0]).Receipt;
        Assert.That(early.Code, Is.EqualTo(ErrorCode.PayloadNotActive), early.Message);
        Assert.That(early.Message, Does.Contain("from protocol version 2"));

        var upgrade = c.Height + 10;
        c.Pass(Set(ChainParameter.ProtocolVersion, 2, upgrade));
        Assert.That(c.Ledger.Parameters.ProtocolAt(upgrade - 1), Is.EqualTo(1));
        Assert.That(c.Ledger.Parameters.ProtocolAt(upgrade), Is.EqualTo(2));
        Assert.That(c.Propose(AddFoshan(consortium, c.Height + 20), consortium.Validators[0]).Receipt.Code, Is.EqualTo(ErrorCode.PayloadNotActive), "still version 1 here");

        c.BlocksUntil(upgrade - 1);
        var (_, accepted) = c.Propose(AddFoshan(consortium, c.Height + 20), consortium.Validators[0]);
        Assert.That(accepted.Code, Is.EqualTo(ErrorCode.Ok), accepted.Message);
        Assert.That(c.Ledger.GetBlock(upgrade)!.Receipts.Single().Code, Is.EqualTo(ErrorCode.Ok), "committed at the upgrade height itself");

        // A node joining later, with this software, re-executes every block under the rules of its height: the version-1
        // refusals come out as they were, and every header matches.
        var follower = new GovernanceChain(consortium, Delay, genesis: c.Genesis);
        var synced = follower.SyncFrom(c);
        Assert.That(synced.IsValid, Is.True, synced.ToString());
        Assert.That(follower.Ledger.Head.Hash, Is.EqualTo(c.Ledger.Head.Hash));
    }

    [Test]
    public void A_height_running_an_unknown_version_stops_the_node_there_instead_of_forking()
    {
        var kv = new InMemoryKeyValueStore();
        var c = NewChain(out var consortium, kv: kv);
        var next = c.Height + 8;
        c.Pass(Set(ChainParameter.ProtocolVersion, ProtocolVersions.Current + 1, next));
        c.BlocksUntil(next - 1);
        var stop = Assert.Throws<LedgerException>(c.Block);
        Assert.That(stop!.Code, Is.EqualTo(ErrorCode.ProtocolVersionUnsupported));
        Assert.That(stop.Message, Does.Contain($"height {next} runs protocol version {ProtocolVersions.Current + 1}").And.Contain("upgrade"));
        Assert.That(c.Height, Is.EqualTo(next - 1), "nothing committed at the unknown version");

        // A restart does not get past it either: the check runs before the node serves (as NodeRuntime does at start).
        var restarted = new GovernanceChain(consortium, Delay, kv, c.Genesis);
        Assert.Throws<LedgerException>(() => ChainParameters.RequireSupported(restarted.Ledger.Parameters.ProtocolAt(restarted.Height + 1), restarted.Height + 1));
    }

    [Test]
    public void A_proposer_takes_the_block_limits_governance_set_for_the_height()
    {
        var c = NewChain(out var consortium);
        var from = c.Height + 8;
        c.Pass(Set(ChainParameter.MaxBlockTransactions, 3, from));
        c.BlocksUntil(from - 1);
        for (var i = 0; i < 7; i++)
        {
            var submitted = c.Ledger.Submit(consortium.Transaction(consortium.Register($"LIMIT-{i}", Sm3.Hash(BitConverter.GetBytes(i))), consortium.Employer, [consortium.Employer],
                expiresAt: c.Clock.GetUtcNow().AddMinutes(10)).Encode());
            Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
        }
        var sizes = new List<int>();
        while (c.ProposeBlock() is { } block) sizes.Add(block.Transactions.Count);
        Assert.That(sizes, Is.EqualTo(new[] { 3, 3, 1 }));
        Assert.That(c.Ledger.GetBlock(from)!.Transactions, Has.Count.EqualTo(3), "the first block at the new limit is the effective height");
    }

    [Test]
    public void A_parameter_proposal_that_cannot_apply_is_refused_with_its_reason()
    {
        var c = NewChain(out var consortium);
        var v = consortium.Validators;
        var at = c.Height + 20;
        Assert.That(c.Propose(Set(ChainParameter.ProtocolVersion, ProtocolVersions.Current + 2, at), v[0]).Receipt.Message, Does.Contain("the next version is"), "a version skipped");
        Assert.That(c.Propose(Set(ChainParameter.ProtocolVersion, ProtocolVersions.Current, at), v[0]).Receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal), "the version it runs");
        Assert.That(c.Propose(Set(ChainParameter.BlockIntervalMs, 500, c.Height + 2), v[0]).Receipt.Code, Is.EqualTo(ErrorCode.EffectiveHeightTooSoon));
        Assert.That(c.Propose(Set(ChainParameter.BlockIntervalMs, 500, at), consortium.Bureau).Receipt.Code, Is.EqualTo(ErrorCode.GovernanceRoleNotAllowed));

        // Versions move forward in order: once version N+1 is scheduled, N+1 cannot be scheduled earlier or again later.
        c.Pass(Set(ChainParameter.ProtocolVersion, ProtocolVersions.Current + 1, at));
        Assert.That(c.Propose(Set(ChainParameter.ProtocolVersion, ProtocolVersions.Current + 1, at - 2), v[0]).Receipt.Message, Does.Contain("already scheduled"));
        Assert.That(c.Propose(Set(ChainParameter.ProtocolVersion, ProtocolVersions.Current + 1, at + 5), v[0]).Receipt.Code, Is.EqualTo(ErrorCode.InvalidProposal));
    }

    [Test]
    public void The_parameter_payload_refuses_unknown_parameters_and_values_out_of_bounds()
    {
        Assert.That(Assert.Throws<LedgerException>(() => ProposeParameterChangePayload.Decode(Set("consensus.everything", 1, 50).Encode()))!.Message, Does.Contain("none of"));
        Assert.Throws<LedgerException>(() => ProposeParameterChangePayload.Decode(Set(ChainParameter.MaxBlockTransactions, 0, 50).Encode()), "below the bound");
        Assert.Throws<LedgerException>(() => ProposeParameterChangePayload.Decode(Set(ChainParameter.BlockIntervalMs, 3_600_000, 50).Encode()), "above the bound");
        Assert.Throws<LedgerException>(() => ProposeParameterChangePayload.Decode(Set(ChainParameter.MaxBlockBytes, 1 << 20, 0).Encode()), "no effective height");
        var change = Set(ChainParameter.MaxBlockBytes, 1 << 20, 50);
        Assert.That(ProposeParameterChangePayload.Decode(change.Encode()), Is.EqualTo(change));
        var schedule = ParameterSchedule.Empty.With(ChainParameter.BlockIntervalMs, 100, 30).With(ChainParameter.BlockIntervalMs, 50, 10).With(ChainParameter.BlockIntervalMs, 70, 30);
        Assert.That(ParameterSchedule.Decode(schedule.Encode()).Entries, Is.EqualTo(schedule.Entries));
        Assert.That(schedule.ValueAt(ChainParameter.BlockIntervalMs, 9, 200), Is.EqualTo(200));
        Assert.That(schedule.ValueAt(ChainParameter.BlockIntervalMs, 29, 200), Is.EqualTo(50));
        Assert.That(schedule.ValueAt(ChainParameter.BlockIntervalMs, 30, 200), Is.EqualTo(70), "a later vote for the same height replaces the value");
    }

    [Test]
    public void A_genesis_names_a_version_this_software_runs_and_an_old_one_without_it_runs_version_1()
    {
        var consortium = new TestConsortium();
        var old = GenesisDocument.FromJson((consortium.Genesis with { ProtocolVersion = null }).ToJson());
        Assert.That(old.InitialProtocolVersion, Is.EqualTo(ProtocolVersions.V1));
        Assert.That(old.ToJson(), Does.Not.Contain("protocolVersion"), "an old genesis's bytes are unchanged by the new member");
        var future = (consortium.Genesis with { ProtocolVersion = ProtocolVersions.Current + 1 }).ToJson();
        Assert.That(Assert.Throws<LedgerException>(() => GenesisDocument.FromJson(future))!.Code, Is.EqualTo(ErrorCode.ProtocolVersionUnsupported));
    }
}
