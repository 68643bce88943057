using Ledger.Chain.Validation;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests.Validation;

/// <summary>
/// The importer with the rule sets a validator runs: proposals are checked and re-executed before they are prepared,
/// certified blocks from sync are checked and imported — and a node's own CRL file never makes it refuse a certified block.
/// </summary>
public class BlockImporterTests
{
    private static readonly TestConsortium Consortium = new(chainId: "gd-importer");

    private static BlockImporter ImporterFor(BlockBench bench, TimeProvider? clock = null)
    {
        var validators = new Ledger.Chain.Governance.ValidatorSets(Consortium.Genesis, Sm3Hasher.Instance);
        return new BlockImporter(bench.Node.Chain, bench.Node.Executor, Sm3Hasher.Instance,
            BlockRules.ForProposals(validators, Sm3Hasher.Instance, ProposalTiming.From(Consortium.Genesis.Consensus), clock ?? TimeProvider.System,
                bench.Node.Admission, new CrlFileRevocationStatus(bench.Node.Certificates)),
            BlockRules.ForCertifiedBlocks(Consortium.ChainId, validators, bench.Node.Admission));
    }

    [Test]
    public void Imports_a_certified_block_made_elsewhere_and_the_chains_agree()
    {
        using var source = new BlockBench(Consortium);
        using var target = new BlockBench(Consortium);
        var committed = source.Node.Commit(source.Register("GZ-IMPORT-1"));
        var block = source.Node.Chain.GetBlock(1)!;

        var result = ImporterFor(target).Import(block.Encode());

        Assert.That(result.IsValid, Is.True, result.ToString());
        Assert.That(target.Node.Chain.Head.Hash, Is.EqualTo(source.Node.Chain.Head.Hash));
        Assert.That(target.Node.Chain.GetTransaction(committed.TxId)!.Receipt.Code, Is.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Refuses_to_import_a_block_without_a_certificate_or_out_of_order_or_undecodable()
    {
        using var source = new BlockBench(Consortium);
        using var target = new BlockBench(Consortium);
        source.Node.Commit(source.Register("GZ-IMPORT-2"));
        source.Node.Commit(source.Register("GZ-IMPORT-3"));
        var importer = ImporterFor(target);

        Assert.That(importer.Import(BlockBench.WithCertificate(source.Node.Chain.GetBlock(1)!, null).Encode()).Code, Is.EqualTo(ErrorCode.InsufficientSeals));
        Assert.That(importer.Import(source.Node.Chain.GetBlock(2)!.Encode()).Code, Is.EqualTo(ErrorCode.BlockOutOfOrder));
        Assert.That(importer.Import([0x0a, 0xff]).IsValid, Is.False);
        Assert.That(target.Node.Chain.Head.Height, Is.Zero);
    }

    [Test]
    public void Refuses_a_certified_block_whose_header_re_execution_does_not_give()
    {
        using var bench = new BlockBench(Consortium);
        var executed = bench.Build([bench.Register("GZ-IMPORT-4")]);
        var header = executed.Block.Header with { StateRoot = Sm3.Hash("a state nobody computed"u8) };
        var hash = header.ComputeHash(Sm3Hasher.Instance);
        var forged = new Block { Header = header, Transactions = executed.Block.Transactions, Receipts = executed.Block.Receipts, Commit = bench.Certify(hash, 1) };

        var result = ImporterFor(bench).Import(forged.Encode());

        Assert.That(result.Code, Is.EqualTo(ErrorCode.ExecutionMismatch), result.ToString());
        Assert.That(bench.Node.Chain.Head.Height, Is.Zero);
    }

    [Test]
    public void A_node_with_a_newer_crl_file_imports_a_certified_block_it_would_not_have_prepared()
    {
        var revoked = Consortium.Party(Consortium.GuangzhouCa, "Revoked Later Co.", Role.Employer, TestConsortium.Guangzhou, Consortium.EmployerCreditCode);
        using var source = new BlockBench(Consortium);
        source.Node.Commit(source.Register("GZ-CRL-1", revoked));
        var block = source.Node.Chain.GetBlock(1)!;
        // This node's CRL file says the certificate was revoked before the block's time; the chain did not know it.
        var crl = Consortium.GuangzhouCa.IssueCrl(
            [new RevokedCertificate(revoked.Certificate!.SerialNumberHex, DateTimeOffset.FromUnixTimeMilliseconds(block.Header.Timestamp).AddMinutes(-1))],
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7));
        using var target = new BlockBench(Consortium, crl);
        var importer = ImporterFor(target);

        var asProposal = importer.ValidateProposal(1, 0, block.Header.ComputeHash(Sm3Hasher.Instance), BlockBench.WithCertificate(block, null).Encode(), reproposal: false);
        Assert.That(asProposal.Code, Is.EqualTo(ErrorCode.CertificateRevoked), "as a proposal it is refused: a round is lost, not the chain");

        var imported = importer.Import(block.Encode());
        Assert.That(imported.IsValid, Is.True, imported.ToString());
        Assert.That(target.Node.Chain.Head.Height, Is.EqualTo(1UL), "the certified block is in: the node does not halt");
    }

    [Test]
    public void A_valid_proposal_is_re_executed_once_and_commits_with_the_certificate_consensus_formed()
    {
        using var bench = new BlockBench(Consortium);
        var executed = bench.Build([bench.Register("GZ-PROPOSAL-1")]);
        var bytes = executed.Block.Encode();
        var importer = ImporterFor(bench);

        var validated = importer.ValidateProposal(1, 0, executed.BlockHash, bytes, reproposal: false);
        Assert.That(validated.IsValid, Is.True, validated.ToString());
        Assert.That(importer.ValidateProposal(1, 0, Sm3.Hash("x"u8), bytes, reproposal: false).Code, Is.EqualTo(ErrorCode.InvalidBlockHash));

        var committed = importer.CommitDecided(executed.BlockHash, bytes, bench.Certify(executed.BlockHash, 1));
        Assert.That(committed.IsValid, Is.True, committed.ToString());
        Assert.That(bench.Node.Chain.Head.Hash, Is.EqualTo(executed.BlockHash));
        Assert.That(bench.Node.Chain.GetBlock(1)!.Commit!.Seals, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_proposal_stamped_30_s_off_this_clock_is_refused_as_untimely_but_the_same_block_certified_imports()
    {
        using var bench = new BlockBench(Consortium);
        var fast = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeMilliseconds();
        var executed = bench.Build([bench.Register("GZ-PBTS-1")], time: fast);
        var importer = ImporterFor(bench);

        Assert.That(importer.ValidateProposal(1, 0, executed.BlockHash, executed.Block.Encode(), reproposal: false).Code, Is.EqualTo(ErrorCode.UntimelyProposal));
        var certified = BlockBench.WithCertificate(executed.Block, bench.Certify(executed.BlockHash, 1));
        Assert.That(importer.Import(certified.Encode()).IsValid, Is.True, "a quorum attested its time: sync never judges it on this clock");
    }
}
