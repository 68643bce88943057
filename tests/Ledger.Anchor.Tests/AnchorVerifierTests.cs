using Ledger.Anchor.Contracts;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Anchor.Tests;

/// <summary>
/// `ledger anchor verify`'s checks: a height is covered by an anchored checkpoint equal to our certified block there,
/// deep enough on the external chain, and linked to it by parent hashes — and every way of rewriting our chain after
/// the anchor (even by the whole consortium, re-sealing) is caught.
/// </summary>
public class AnchorVerifierTests
{
    private const int Length = 12;
    private EvmTestChain _evm = null!;
    private TestNetwork _network = null!;
    private Dictionary<ulong, Block> _chain = null!;

    private sealed class Blocks(IReadOnlyDictionary<ulong, Block> chain) : IBlockReader
    {
        public Task<Ledger.Client.CertifiedHeader?> GetHeaderAsync(ulong height, CancellationToken cancellationToken) =>
            Task.FromResult(chain.TryGetValue(height, out var block) ? new Ledger.Client.CertifiedHeader(block.Header, block.Commit) : null);
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        _network = TestNetwork.Create(validators: 4);
        _chain = Build(_network, 1, Length, Hash32.Zero, []);
        _evm = await EvmTestChain.StartAsync();
        await Anchor(Checkpoint.FromBlock(_network.ChainId, _chain[5], Sm3Hasher.Instance));
        await Anchor(Checkpoint.FromBlock(_network.ChainId, _chain[10], Sm3Hasher.Instance));
        await _evm.Node.MineAsync(5);
    }

    [OneTimeTearDown]
    public void Stop() => _evm?.Dispose();

    /// <summary>Certified empty blocks from..to on top of <paramref name="prev"/>, a second apart; <paramref name="salt"/> alters state roots.</summary>
    private static Dictionary<ulong, Block> Build(TestNetwork network, ulong from, ulong to, Hash32 prev, Dictionary<ulong, Block> into, string salt = "")
    {
        for (var h = from; h <= to; h++)
        {
            var block = TestBlocks.Build(network, h, [], [], prev, TestNetwork.DefaultBlockTime.AddSeconds(h));
            if (salt.Length > 0)
            {
                var header = block.Header with { StateRoot = Sm3Hasher.Instance.Hash(System.Text.Encoding.UTF8.GetBytes(salt + h)) };
                block = Reseal(network, block, header);
            }
            into[h] = block;
            prev = block.Header.ComputeHash(Sm3Hasher.Instance);
        }
        return into;
    }

    private static Block Reseal(TestNetwork network, Block block, BlockHeader header)
    {
        var hash = header.ComputeHash(Sm3Hasher.Instance);
        var commit = new CommitCertificate { Height = header.Height, Round = 0, BlockHash = hash, Seals = network.Seal(header.Height, 0, hash, Enumerable.Range(0, 3)) };
        return new Block { Header = header, Transactions = block.Transactions, Receipts = block.Receipts, Commit = commit };
    }

    private async Task Anchor(Checkpoint checkpoint)
    {
        var receipt = await _evm.Web3(_evm.Writer).Eth.GetContractTransactionHandler<AnchorFunction>()
            .SendRequestAndWaitForReceiptAsync(_evm.Contract, AnchorFunction.For(checkpoint));
        Assert.That((int)receipt.Status.Value, Is.EqualTo(1));
    }

    private AnchorVerifier Verifier(IReadOnlyDictionary<ulong, Block>? chain = null) =>
        new(_network.Genesis, new EvmAnchorChain(_evm.Node.Url.ToString(), Ledger.TestKit.GanacheNode.ChainId, _evm.Contract, null), new Blocks(chain ?? _chain));

    private async Task<ErrorCode> Refusal(ulong height, ulong confirmations = 3, IReadOnlyDictionary<ulong, Block>? chain = null)
    {
        var e = await Assert.ThrowsAsync<LedgerException>(() => Verifier(chain).VerifyAsync(height, confirmations));
        return e!.Code;
    }

    [Test]
    public async Task A_height_below_a_checkpoint_is_covered_by_it()
    {
        var result = await Verifier().VerifyAsync(7, 3);
        Assert.That(result.CheckpointHeight, Is.EqualTo(10));
        Assert.That(result.BlockHash, Is.EqualTo(_chain[7].Header.ComputeHash(Sm3Hasher.Instance).ToHex()));
        Assert.That(result.CheckpointBlockHash, Is.EqualTo(_chain[10].Header.ComputeHash(Sm3Hasher.Instance).ToHex()));
        Assert.That(result.Confirmations, Is.GreaterThanOrEqualTo(5));
        Assert.That(result.Seals, Is.EqualTo(3));
        Assert.That(result.Validators, Is.EqualTo(4));
        Assert.That(result.CertificateMatches, Is.True);

        Assert.That((await Verifier().VerifyAsync(5, 3)).CheckpointHeight, Is.EqualTo(5));
        Assert.That((await Verifier().VerifyAsync(1, 3)).CheckpointHeight, Is.EqualTo(5));
    }

    [Test]
    public async Task A_height_after_the_last_checkpoint_is_not_anchored_yet()
    {
        Assert.That(await Refusal(11), Is.EqualTo(ErrorCode.CheckpointNotAnchored));
    }

    [Test]
    public async Task Too_few_confirmations_are_refused()
    {
        Assert.That(await Refusal(7, confirmations: 1000), Is.EqualTo(ErrorCode.InsufficientConfirmations));
    }

    [Test]
    public async Task A_changed_header_no_longer_matches_its_certificate()
    {
        var changed = new Dictionary<ulong, Block>(_chain);
        var header = _chain[10].Header with { Timestamp = _chain[10].Header.Timestamp + 1 };
        changed[10] = new Block { Header = header, Transactions = [], Receipts = [], Commit = _chain[10].Commit };
        Assert.That(await Refusal(7, chain: changed), Is.EqualTo(ErrorCode.InvalidBlockHash));
    }

    [Test]
    public async Task A_changed_header_below_the_checkpoint_breaks_the_parent_links()
    {
        // Block 8 rewritten and properly re-sealed by the validators; blocks 9 and 10 left as anchored.
        var changed = new Dictionary<ulong, Block>(_chain);
        var header = _chain[8].Header with { StateRoot = Sm3Hasher.Instance.Hash("rewritten"u8) };
        changed[8] = Reseal(_network, _chain[8], header);
        Assert.That(await Refusal(7, chain: changed), Is.EqualTo(ErrorCode.BlockParentMismatch));
        Assert.That(await Refusal(8, chain: changed), Is.EqualTo(ErrorCode.BlockParentMismatch));
        Assert.That((await Verifier(changed).VerifyAsync(9, 3)).CheckpointHeight, Is.EqualTo(10), "what is above the change still verifies");
    }

    [Test]
    public async Task History_rewritten_and_resealed_by_the_whole_consortium_is_caught_by_the_anchor()
    {
        // Every validator re-seals a new history from height 6 on: certified, linked — and not what was anchored.
        var rewritten = new Dictionary<ulong, Block>(_chain.Where(kv => kv.Key < 6).ToDictionary());
        Build(_network, 6, Length, _chain[5].Header.ComputeHash(Sm3Hasher.Instance), rewritten, salt: "rewrite");
        Assert.That(await Refusal(7, chain: rewritten), Is.EqualTo(ErrorCode.CheckpointMismatch));
        Assert.That((await Verifier(rewritten).VerifyAsync(4, 3)).CheckpointHeight, Is.EqualTo(5), "before the rewrite, still fine");
    }

    [Test]
    public async Task Blocks_of_another_validator_set_are_refused_though_they_match_a_checkpoint()
    {
        // An impostor network (validators certified by a city CA alone) made blocks, and its checkpoint got anchored.
        var network = TestNetwork.Create(validators: 4, chainId: "gd-impostor");
        var impostor = TestNetwork.Impostor(network.City, network.ChainId);
        var forged = Build(impostor, 1, 3, Hash32.Zero, []);
        await Anchor(Checkpoint.FromBlock(network.ChainId, forged[3], Sm3Hasher.Instance));
        await _evm.Node.MineAsync(3);
        var verifier = new AnchorVerifier(network.Genesis, new EvmAnchorChain(_evm.Node.Url.ToString(), Ledger.TestKit.GanacheNode.ChainId, _evm.Contract, null), new Blocks(forged));
        var e = await Assert.ThrowsAsync<LedgerException>(() => verifier.VerifyAsync(1, 3));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.UnknownValidatorSet));
    }

    [Test]
    public async Task A_tampered_checkpoint_on_the_external_chain_is_detected()
    {
        // The writer key anchors a checkpoint our chain does not have (its own chain id keeps the other tests apart).
        var network = TestNetwork.Create(validators: 4, chainId: "gd-tampered");
        var chain = Build(network, 1, 4, Hash32.Zero, []);
        var tampered = Checkpoint.FromBlock(network.ChainId, chain[4], Sm3Hasher.Instance) with { BlockHash = Sm3Hasher.Instance.Hash("forged"u8) };
        await Anchor(tampered);
        await _evm.Node.MineAsync(3);
        var verifier = new AnchorVerifier(network.Genesis, new EvmAnchorChain(_evm.Node.Url.ToString(), Ledger.TestKit.GanacheNode.ChainId, _evm.Contract, null), new Blocks(chain));
        var e = await Assert.ThrowsAsync<LedgerException>(() => verifier.VerifyAsync(2, 3));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.CheckpointMismatch));
    }
}
