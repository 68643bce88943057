using Grpc.Core;
using Ledger.Proto.V1;

namespace Ledger.Network;

/// <summary>
/// The server side of peer_service.proto, mapped by the node on its HTTP/2 endpoint; resolves the node's singleton
/// <see cref="PeerNetwork"/> from DI.
/// </summary>
public sealed class PeerGrpcService : PeerService.PeerServiceBase
{
    private readonly PeerNetwork _network;

    public PeerGrpcService(PeerNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
    }

    public override Task Connect(IAsyncStreamReader<PeerFrame> requestStream, IServerStreamWriter<PeerFrame> responseStream, ServerCallContext context) =>
        _network.HandleInboundAsync(requestStream, responseStream, context);

    public override Task GetBlocks(GetBlocksRequest request, IServerStreamWriter<BlockBytes> responseStream, ServerCallContext context) =>
        _network.ServeBlocksAsync(request, responseStream, context);
}
