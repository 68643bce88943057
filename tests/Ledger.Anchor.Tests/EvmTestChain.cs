using System.Numerics;
using Ledger.TestKit;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Ledger.Anchor.Tests;

/// <summary>A ganache node with a Checkpoints contract whose writer is a fresh, funded key.</summary>
public sealed class EvmTestChain : IDisposable
{
    private EvmTestChain(GanacheNode node, EthECKey writer, string contract)
    {
        Node = node;
        Writer = writer;
        Contract = contract;
    }

    public GanacheNode Node { get; }
    public EthECKey Writer { get; }
    public string Contract { get; }
    public string WriterAddress => Writer.GetPublicAddress();

    public static async Task<EvmTestChain> StartAsync(string? databasePath = null)
    {
        var node = await GanacheNode.StartAsync(databasePath);
        try
        {
            var writer = EthECKey.GenerateKey();
            await node.FundAsync(writer.GetPublicAddress(), 10m);
            var contract = await EvmAnchorChain.DeployAsync(node.Url.ToString(), GanacheNode.ChainId, new EthECKey(GanacheNode.FunderKey), writer.GetPublicAddress());
            return new EvmTestChain(node, writer, contract);
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    public EvmAnchorChain Chain(EthECKey? key = null) => new(Node.Url.ToString(), GanacheNode.ChainId, Contract, key ?? Writer);

    public Web3 Web3(EthECKey key)
    {
        var web3 = new Web3(new Account(key, new BigInteger(GanacheNode.ChainId)), Node.Url.ToString());
        web3.TransactionManager.UseLegacyAsDefault = true;
        return web3;
    }

    public void Dispose() => Node.Dispose();
}
