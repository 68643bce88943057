using System.Numerics;
using Ledger.Anchor.Contracts;
using Ledger.Core;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Ledger.Anchor;

/// <summary>
/// The external chain as the anchoring service sees it, through Nethereum: the Checkpoints contract's typed
/// functions, the account's nonces, receipts and blocks. Every failure to reach the node becomes
/// <see cref="ErrorCode.ExternalChainUnavailable"/>, so the caller can back off and retry.
/// </summary>
public sealed class EvmAnchorChain
{
    private readonly Web3 _web3;
    private readonly Account? _account;

    /// <summary>With <paramref name="key"/> null the chain is only read (verification): nothing can be signed.</summary>
    public EvmAnchorChain(string rpcUrl, ulong evmChainId, string contract, EthECKey? key)
    {
        EvmChainId = evmChainId;
        Contract = AddressUtil.Current.ConvertToChecksumAddress(contract);
        if (key is null)
        {
            _web3 = new Web3(rpcUrl);
        }
        else
        {
            _account = new Account(key, new BigInteger(evmChainId));
            _web3 = new Web3(_account, rpcUrl);
        }
        _web3.TransactionManager.UseLegacyAsDefault = true;
    }

    public ulong EvmChainId { get; }

    public string Contract { get; }

    public string Address => _account?.Address ?? throw new InvalidOperationException("a read-only EvmAnchorChain has no account");

    /// <summary>The chain id the node reports; the service refuses to run against another chain than configured.</summary>
    public Task<ulong> GetChainIdAsync() => Call(async () => (ulong)(await _web3.Eth.ChainId.SendRequestAsync().ConfigureAwait(false)).Value);

    public Task<ulong> GetHeadAsync() => Call(async () => (ulong)(await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().ConfigureAwait(false)).Value);

    /// <summary>The account's next nonce counting only mined txs (<c>latest</c>) or also those in the pool (<c>pending</c>).</summary>
    public Task<ulong> GetNonceAsync(bool includePending) => Call(async () => (ulong)(await _web3.Eth.Transactions.GetTransactionCount
        .SendRequestAsync(Address, includePending ? BlockParameter.CreatePending() : BlockParameter.CreateLatest()).ConfigureAwait(false)).Value);

    /// <summary>The checkpoint the contract holds at exactly this height, or null.</summary>
    public Task<AnchoredCheckpoint?> ReadCheckpointAsync(string chainId, ulong height) => Call(async () =>
    {
        var handler = _web3.Eth.GetContractQueryHandler<CheckpointAtFunction>();
        var output = await handler.QueryDeserializingToObjectAsync<CheckpointAtOutput>(
            new CheckpointAtFunction { ChainId = chainId, Height = height }, Contract).ConfigureAwait(false);
        var blockHash = new Hash32(output.BlockHash);
        if (blockHash.IsZero) return null;
        return new AnchoredCheckpoint(
            new Checkpoint(chainId, height, blockHash, new Hash32(output.ValidatorSetHash), new Hash32(output.CertificateHash)),
            output.AnchoredAtBlock, DateTimeOffset.FromUnixTimeSeconds((long)output.AnchoredAtTime));
    });

    /// <summary>The lowest anchored height at or above <paramref name="height"/>, or null when none is.</summary>
    public Task<ulong?> CoveringHeightAsync(string chainId, ulong height) => Call(async () =>
    {
        var output = await _web3.Eth.GetContractQueryHandler<CoveringHeightFunction>()
            .QueryDeserializingToObjectAsync<CoveringHeightOutput>(new CoveringHeightFunction { ChainId = chainId, Height = height }, Contract)
            .ConfigureAwait(false);
        return output.Found ? output.Anchored : (ulong?)null;
    });

    /// <summary>Signs <c>anchor(checkpoint)</c> with this nonce, offline: the same bytes are re-broadcast after a restart.</summary>
    public Task<(string RawTx, string TxHash)> SignAnchorAsync(Checkpoint checkpoint, ulong nonce, ulong gasPriceWei) => Call(async () =>
    {
        var function = AnchorFunction.For(checkpoint);
        function.FromAddress = Address;
        function.Nonce = new BigInteger(nonce);
        function.GasPrice = gasPriceWei != 0 ? new BigInteger(gasPriceWei) : (await _web3.Eth.GasPrice.SendRequestAsync().ConfigureAwait(false)).Value;
        // A fixed limit, not an estimate: estimating would execute against the current state, and a tx re-sent after a
        // reorg must be the same bytes. The write costs well under this (docs/benchmarks.md).
        function.Gas = new BigInteger(GasLimit);
        var raw = await _web3.Eth.GetContractTransactionHandler<AnchorFunction>().SignTransactionAsync(Contract, function).ConfigureAwait(false);
        if (!raw.StartsWith("0x", StringComparison.Ordinal)) raw = "0x" + raw;
        return (raw, TxHashOf(raw));
    });

    /// <summary>Gas limit of an anchoring tx.</summary>
    public const ulong GasLimit = 300_000;

    /// <summary>Keccak-256 of the signed tx bytes: its hash on any EVM chain.</summary>
    public static string TxHashOf(string rawTx) =>
        "0x" + Convert.ToHexStringLower(Sha3Keccack.Current.CalculateHash(Convert.FromHexString(rawTx.AsSpan(2))));

    /// <summary>Hands the signed tx to the node; one it already knows (or has mined) is not an error.</summary>
    public Task BroadcastAsync(string rawTx) => Call(async () =>
    {
        try
        {
            await _web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(rawTx).ConfigureAwait(false);
        }
        catch (RpcResponseException e) when (IsAlreadyKnown(e.RpcError?.Message))
        {
        }
        return true;
    });

    private static bool IsAlreadyKnown(string? message) =>
        message is not null && (message.Contains("already known", StringComparison.OrdinalIgnoreCase)
                                || message.Contains("already imported", StringComparison.OrdinalIgnoreCase)
                                || message.Contains("known transaction", StringComparison.OrdinalIgnoreCase));

    public Task<TransactionReceipt?> GetReceiptAsync(string txHash) =>
        Call(async () => (TransactionReceipt?)await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(txHash).ConfigureAwait(false));

    public Task<bool> IsKnownAsync(string txHash) =>
        Call(async () => await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(txHash).ConfigureAwait(false) is not null);

    /// <summary>Hash and time of the canonical block at this number, or null beyond the head.</summary>
    public Task<(string Hash, DateTimeOffset Time)?> GetBlockAsync(ulong number) => Call(async () =>
    {
        var block = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber
            .SendRequestAsync(new HexBigInteger(new BigInteger(number))).ConfigureAwait(false);
        return block is null ? ((string, DateTimeOffset)?)null : (block.BlockHash, DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value));
    });

    /// <summary>
    /// The receipt of the tx that wrote checkpoint <paramref name="height"/> of <paramref name="chainId"/>, read back from
    /// the contract's Anchored event in external block <paramref name="externalBlock"/> (where the contract says it was
    /// written): for a checkpoint found already anchored — a restart whose state file lost it, a duplicate that
    /// reverted — so that its receipt, and the record of it on our chain, are not lost. Null if no such event is there.
    /// </summary>
    public Task<AnchorReceipt?> FindReceiptAsync(string chainId, ulong height, ulong externalBlock) => Call(async () =>
    {
        var anchored = _web3.Eth.GetEvent<AnchoredEvent>(Contract);
        var at = new BlockParameter(new HexBigInteger(new BigInteger(externalBlock)));
        var logs = await anchored.GetAllChangesAsync(anchored.CreateFilterInput(at, at)).ConfigureAwait(false);
        var log = logs.FirstOrDefault(l => l.Event.Height == height && l.Event.ChainId == chainId);
        if (log is null) return null;
        var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(log.Log.TransactionHash).ConfigureAwait(false);
        var block = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(new BigInteger(externalBlock))).ConfigureAwait(false);
        if (block is null) return null;
        return (AnchorReceipt?)new AnchorReceipt(height, Convert.ToHexStringLower(log.Event.BlockHash), EvmChainId, Contract, log.Log.TransactionHash, externalBlock,
            log.Log.BlockHash, DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value), (ulong)(receipt?.GasUsed?.Value ?? 0));
    });

    /// <summary>Every Anchored event of the contract (tests and audits: one per checkpoint).</summary>
    public Task<IReadOnlyList<EventLog<AnchoredEvent>>> GetAnchoredEventsAsync() => Call(async () =>
    {
        var anchored = _web3.Eth.GetEvent<AnchoredEvent>(Contract);
        var filter = anchored.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest());
        return (IReadOnlyList<EventLog<AnchoredEvent>>)await anchored.GetAllChangesAsync(filter).ConfigureAwait(false);
    });

    /// <summary>Deploys Checkpoints with <paramref name="writer"/> as its only writer, paid by <paramref name="deployer"/>; the contract's address.</summary>
    public static Task<string> DeployAsync(string rpcUrl, ulong evmChainId, EthECKey deployer, string writer) => Call(async () =>
    {
        var web3 = new Web3(new Account(deployer, new BigInteger(evmChainId)), rpcUrl);
        web3.TransactionManager.UseLegacyAsDefault = true;
        var receipt = await web3.Eth.GetContractDeploymentHandler<CheckpointsDeployment>()
            .SendRequestAndWaitForReceiptAsync(new CheckpointsDeployment { Writer = writer }).ConfigureAwait(false);
        if (receipt.Status?.Value != 1) throw new LedgerException(ErrorCode.AnchorWriteRefused, $"the deployment tx {receipt.TransactionHash} failed");
        return AddressUtil.Current.ConvertToChecksumAddress(receipt.ContractAddress);
    });

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException or TaskCanceledException)
        {
            throw new LedgerException(ErrorCode.ExternalChainUnavailable, $"the EVM node does not answer: {e.GetBaseException().Message}", e);
        }
        catch (RpcResponseException e)
        {
            throw new LedgerException(ErrorCode.ExternalChainUnavailable, $"the EVM node answered an error: {e.RpcError?.Message ?? e.Message}", e);
        }
    }
}
