using Ledger.Anchor.Contracts;
using Nethereum.Contracts;
using Nethereum.Signer;

namespace Ledger.Anchor.Tests;

/// <summary>The Solidity contract on a real EVM (ganache), through Nethereum's typed contract services.</summary>
public class CheckpointsContractTests
{
    private EvmTestChain _evm = null!;
    private readonly FakeCheckpointSource _ours = new("ledger-test");

    [OneTimeSetUp]
    public async Task Start() => _evm = await EvmTestChain.StartAsync();

    [OneTimeTearDown]
    public void Stop() => _evm?.Dispose();

    private Task<Nethereum.RPC.Eth.DTOs.TransactionReceipt> Anchor(Checkpoint checkpoint, EthECKey? key = null)
    {
        var handler = _evm.Web3(key ?? _evm.Writer).Eth.GetContractTransactionHandler<AnchorFunction>();
        return handler.SendRequestAndWaitForReceiptAsync(_evm.Contract, AnchorFunction.For(checkpoint));
    }

    [Test]
    public async Task A_checkpoint_is_stored_with_its_external_block_and_an_event()
    {
        var checkpoint = _ours.At(100) with { ChainId = "contract-read" };
        var receipt = await Anchor(checkpoint);
        Assert.That((int)receipt.Status.Value, Is.EqualTo(1));

        var held = await _evm.Chain().ReadCheckpointAsync("contract-read", 100);
        Assert.That(held, Is.Not.Null);
        Assert.That(held!.Checkpoint, Is.EqualTo(checkpoint));
        Assert.That(held.ExternalBlock, Is.EqualTo((ulong)receipt.BlockNumber.Value));
        Assert.That(await _evm.Chain().ReadCheckpointAsync("contract-read", 101), Is.Null);
        Assert.That(await _evm.Chain().ReadCheckpointAsync("another-chain", 100), Is.Null);

        var events = receipt.DecodeAllEvents<AnchoredEvent>();
        Assert.That(events, Has.Count.EqualTo(1));
        Assert.That(events[0].Event.Height, Is.EqualTo(100));
        Assert.That(events[0].Event.ChainId, Is.EqualTo("contract-read"));
        Assert.That(events[0].Event.CertificateHash, Is.EqualTo(checkpoint.CertificateHash.ToArray()));
    }

    [Test]
    public async Task Refuses_a_second_checkpoint_for_the_same_height()
    {
        var first = _ours.At(10) with { ChainId = "contract-dup" };
        await Anchor(first);
        var forged = first with { BlockHash = _ours.At(11).BlockHash };
        var refusal = await Assert.ThrowsAsync<SmartContractCustomErrorRevertException>(() => Anchor(forged));
        Assert.That(refusal!.IsCustomErrorFor<AlreadyAnchoredError>(), Is.True);
        Assert.That((await _evm.Chain().ReadCheckpointAsync("contract-dup", 10))!.Checkpoint, Is.EqualTo(first));
    }

    [Test]
    public async Task Refuses_any_account_but_its_writer()
    {
        var stranger = EthECKey.GenerateKey();
        await _evm.Node.FundAsync(stranger.GetPublicAddress(), 1m);
        var refusal = await Assert.ThrowsAsync<SmartContractCustomErrorRevertException>(() => Anchor(_ours.At(5) with { ChainId = "contract-writer" }, stranger));
        Assert.That(refusal!.IsCustomErrorFor<NotWriterError>(), Is.True);
        Assert.That(await _evm.Chain().ReadCheckpointAsync("contract-writer", 5), Is.Null);
    }

    [Test]
    public async Task Refuses_a_height_below_the_last_and_finds_the_covering_checkpoint()
    {
        await Anchor(_ours.At(20) with { ChainId = "contract-order" });
        await Anchor(_ours.At(40) with { ChainId = "contract-order" });
        var refusal = await Assert.ThrowsAsync<SmartContractCustomErrorRevertException>(() => Anchor(_ours.At(30) with { ChainId = "contract-order" }));
        Assert.That(refusal!.IsCustomErrorFor<NotAfterLastError>(), Is.True);

        var chain = _evm.Chain();
        Assert.That(await chain.CoveringHeightAsync("contract-order", 1), Is.EqualTo(20));
        Assert.That(await chain.CoveringHeightAsync("contract-order", 20), Is.EqualTo(20));
        Assert.That(await chain.CoveringHeightAsync("contract-order", 21), Is.EqualTo(40));
        Assert.That(await chain.CoveringHeightAsync("contract-order", 41), Is.Null);
    }
}
