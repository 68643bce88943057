using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// An integrator holds one WaitForCommit call per pending tx, all on one HTTP/2 connection. With Kestrel's default
/// of 100 concurrent streams per connection the 101st call would queue in the client until an earlier one ended;
/// the node allows <see cref="NodeHost.MaxStreamsPerConnection"/>.
/// </summary>
[NonParallelizable]
public class ConcurrentWaitersTests
{
    [Test]
    public async Task More_than_a_hundred_wait_for_commit_calls_share_one_connection()
    {
        using var devnet = new DevnetFixture();
        var config = NodeConfig.Load(devnet.NodeConfig()) with { GrpcListen = "127.0.0.1:0", HttpListen = "127.0.0.1:0" };
        await using var node = await NodeHost.StartAsync(config, logging: _ => { });
        // One connection only, as grpc-js and most other clients use: no second connection when streams run out.
        using var channel = GrpcChannel.ForAddress(node.GrpcEndpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false, SslOptions = devnet.Transport.Trust.ClientOptions() },
        });
        var client = new Rpc.LedgerService.LedgerServiceClient(channel);
        await client.GetChainInfoAsync(new Rpc.GetChainInfoRequest()); // the connection is up and has the server's SETTINGS
        using var cancel = new CancellationTokenSource();

        // 150 calls waiting for txs nobody submits, held open for two minutes.
        var idle = Enumerable.Range(0, 150).Select(i =>
        {
            var id = new byte[32];
            BitConverter.TryWriteBytes(id, i + 1);
            return client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = ByteString.CopyFrom(id), TimeoutMs = 120_000 }, cancellationToken: cancel.Token).ResponseAsync;
        }).ToArray();

        // The 151st waits for a tx that is then submitted (on another connection) and committed.
        var (envelope, _) = devnet.NewRegistration();
        var txId = envelope.ComputeId(Ledger.Crypto.Sm3Hasher.Instance);
        var waiting = client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = ByteString.CopyFrom(txId.ToArray()), TimeoutMs = 120_000 }, cancellationToken: cancel.Token).ResponseAsync;
        using (var submitChannel = devnet.Transport.Channel(node.GrpcEndpoint))
            await new Rpc.LedgerService.LedgerServiceClient(submitChannel).SubmitAsync(DevnetFixture.Submit(envelope));

        var first = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.That(first, Is.SameAs(waiting), "the 151st WaitForCommit on the connection got its commit while 150 others were open");
        Assert.That((await waiting).ReceiptCode, Is.EqualTo(0));
        Assert.That(idle.Any(t => t.IsCompleted), Is.False, "the idle waiters are still open: the commit did not come from a freed stream");

        await cancel.CancelAsync();
        foreach (var call in idle)
            Assert.That(async () => await call, Throws.InstanceOf<RpcException>().With.Property(nameof(RpcException.StatusCode)).EqualTo(StatusCode.Cancelled));
    }
}
