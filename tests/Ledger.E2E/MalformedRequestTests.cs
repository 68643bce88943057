using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Crypto.Transport;
using Ledger.TestKit;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Bytes that are not a protobuf request, sent as raw gRPC frames (a byte[] marshaller, so no client library fixes them)
/// to a real <c>ledger node</c> process, on every method of LedgerService and of the validators' PeerService: each is
/// INVALID_ARGUMENT with the ledger's ErrorInfo naming the encoding error, logged as one warning line without a stack
/// trace, and neither the connection nor other calls on it are disturbed.
/// </summary>
[NonParallelizable]
public class MalformedRequestTests
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create((byte[] b) => b, (byte[] b) => b);

    /// <summary>Field 1 as a length-delimited value claiming 128 bytes, 3 of which follow (SubmitRequest's envelope).</summary>
    private static readonly byte[] BadLengthPrefix = [0x0A, 0x80, 0x01, 1, 2, 3];

    /// <summary>The same bad length on field 15, which no request has: skipped as unknown, so truncated whatever the schema.</summary>
    private static readonly byte[] BadLengthPrefixUnknownField = [0x7A, 0x80, 0x01, 1, 2, 3];

    /// <summary>Field 1 as a varint of 11 bytes (at most 10 are allowed).</summary>
    private static readonly byte[] ElevenByteVarint = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];

    /// <summary>Field 1 with wire type 7, which does not exist.</summary>
    private static readonly byte[] BadWireType = [0x0F, 0x00];

    private static readonly (byte[] Bytes, string Reason)[] Garbage =
    [
        (BadLengthPrefixUnknownField, "Truncated"),
        (ElevenByteVarint, "MalformedVarint"),
        (BadWireType, "WrongWireType"),
    ];

    [Test]
    public async Task Every_method_answers_invalid_argument_with_details_to_bytes_that_do_not_parse()
    {
        using var devnet = new DevnetFixture(validators: 2); // two validators, so the node serves PeerService
        using var node = LedgerProcess.Start("node", "--config", devnet.NodeConfig(devnet.ValidatorNames[0]));
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(120), node);
        using var peerCertificate = ConsortiumClientCertificate(devnet);
        using var channel = GrpcChannel.ForAddress(devnet.GrpcAddress(0), new GrpcChannelOptions
        {
            HttpHandler = devnet.Transport.Trust.CreateHandler(peerCertificate),
            DisposeHttpClient = true,
        });
        var invoker = channel.CreateCallInvoker();
        var ledger = new Rpc.LedgerService.LedgerServiceClient(channel);
        Assert.That((await ledger.GetChainInfoAsync(new Rpc.GetChainInfoRequest())).ChainId, Is.EqualTo(devnet.ChainId));

        var methods = Rpc.LedgerService.Descriptor.Methods.Concat(Rpc.PeerService.Descriptor.Methods).ToArray();
        Assert.That(methods.Select(m => m.Name), Is.SupersetOf(new[] { "Submit", "GetBlock", "GetContract", "WatchBlocks", "WaitForCommit", "Connect", "GetBlocks" }));
        var refusals = 0;
        foreach (var method in methods)
        {
            foreach (var (bytes, reason) in Garbage)
            {
                // A well-formed call on the same connection at the same time is not disturbed.
                var neighbour = ledger.GetChainInfoAsync(new Rpc.GetChainInfoRequest()).ResponseAsync;
                var error = await CallAsync(invoker, method, bytes);
                AssertRefused(error, reason, $"{method.FullName} with {Convert.ToHexString(bytes)}");
                refusals++;
                Assert.That((await neighbour).ChainId, Is.EqualTo(devnet.ChainId));
            }
        }

        // The cases of issue 16, by name: a bad length prefix in SubmitRequest, an 11-byte varint in GetBlock, an
        // invalid UTF-8 contract id.
        AssertRefused(await CallAsync(invoker, Method("Submit"), BadLengthPrefix), "Truncated", "Submit with a bad length prefix");
        AssertRefused(await CallAsync(invoker, Method("GetBlock"), ElevenByteVarint), "MalformedVarint", "GetBlock with an 11-byte height");
        AssertRefused(await CallAsync(invoker, Method("GetContract"), [0x0A, 0x02, 0xC3, 0x28]), "InvalidFieldValue", "GetContract with invalid UTF-8");
        AssertRefused(await CallAsync(invoker, Method("GetContractEvidence"), [0x0A, 0x01, 0xFF]), "InvalidFieldValue", "GetContractEvidence with invalid UTF-8");
        refusals += 4;

        // Without the consortium's client certificate a peer stream is refused before its frames are read: a stranger
        // learns nothing from a parse error.
        using (var stranger = devnet.Channel(0))
        {
            var refused = await CallAsync(stranger.CreateCallInvoker(), Rpc.PeerService.Descriptor.FindMethodByName("Connect"), BadLengthPrefix);
            Assert.That(refused?.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        }

        // The node still admits and answers, on the same connection.
        var (envelope, _) = devnet.NewRegistration();
        var submitted = await ledger.SubmitAsync(DevnetFixture.Submit(envelope));
        Assert.That(submitted.TxId.Length, Is.EqualTo(32));
        Assert.That(node.HasExited, Is.False);
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(30), node);

        var output = node.Output;
        var lines = output.Split('\n').Where(l => l.Contains("Malformed request refused", StringComparison.Ordinal)).ToArray();
        Assert.That(lines, Has.Length.EqualTo(refusals), output);
        Assert.That(lines, Has.All.Contains(" warn: "), "one warning line each");
        Assert.That(lines.Where(l => l.Contains("ledger.v1.LedgerService/GetBlock ", StringComparison.Ordinal)), Has.Some.Contains("MalformedVarint"));
        Assert.That(output, Does.Not.Contain("Exception was thrown by handler"));
        Assert.That(output, Does.Not.Contain("InvalidProtocolBufferException"));
        Assert.That(output, Does.Not.Match(@"(?m)^\s+at "), "no stack trace");
    }

    private static MethodDescriptor Method(string name) => Rpc.LedgerService.Descriptor.FindMethodByName(name);

    private static void AssertRefused(RpcException? error, string reason, string what)
    {
        Assert.That(error, Is.Not.Null, $"{what}: refused");
        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument), $"{what}: {error.Status}");
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.That(info, Is.Not.Null, $"{what}: an ErrorInfo detail");
        Assert.That(info!.Domain, Is.EqualTo(LedgerErrorDetails.Domain), what);
        Assert.That(info.Reason, Is.EqualTo(reason), $"{what}: {error.Status.Detail}");
        Assert.That(info.Metadata[LedgerErrorDetails.CodeKey], Is.EqualTo(((int)Enum.Parse<Core.ErrorCode>(reason)).ToString(System.Globalization.CultureInfo.InvariantCulture)), what);
        Assert.That(error.Status.Detail, Does.StartWith("malformed "), what);
    }

    /// <summary>Sends <paramref name="bytes"/> as the one request message of <paramref name="method"/>; the call's error, or null if it succeeded.</summary>
    private static async Task<RpcException?> CallAsync(CallInvoker invoker, MethodDescriptor method, byte[] bytes)
    {
        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        var raw = new Method<byte[], byte[]>(type, method.Service.FullName, method.Name, Raw, Raw);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(raw, null, options, bytes);
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(raw, null, options, bytes))
                        while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
                    break;
                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(raw, null, options))
                    {
                        await call.RequestStream.WriteAsync(bytes);
                        // The server may answer first (a peer's challenge): read until the stream ends.
                        while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
                    }
                    break;
            }
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    /// <summary>The second validator's transport certificate (it names that validator), as it presents on PeerService.</summary>
    private static X509Certificate2 ConsortiumClientCertificate(DevnetFixture devnet)
    {
        var folder = Path.Combine(devnet.Directory.FullName, "nodes", devnet.ValidatorNames[1]);
        return TransportCredentials.Load(Path.Combine(folder, "tls.pem"), Path.Combine(folder, "tls.key"));
    }
}
