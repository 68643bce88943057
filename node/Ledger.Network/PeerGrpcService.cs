using Grpc.Core;
using Ledger.Proto.V1;

namespace Ledger.Network;

/// <summary>
/// The server side of peer_service.proto, mapped by the node on its HTTP/2 endpoint; resolves the node's singleton
/// <see cref="PeerNetwork"/> from DI. Bound through <see cref="MalformedRequestBinder"/>: a frame protobuf cannot parse
/// ends the stream with INVALID_ARGUMENT.
/// </summary>
[BindServiceMethod(typeof(PeerGrpcService), nameof(BindService))]
public sealed class PeerGrpcService : PeerService.PeerServiceBase
{
    /// <summary>Grpc.AspNetCore's bind method for this service (found by the attribute): the generated one, with guarded request parsing.</summary>
    public static void BindService(ServiceBinderBase binder, PeerService.PeerServiceBase? service) =>
        PeerService.BindService(new MalformedRequestBinder(binder), service);

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
