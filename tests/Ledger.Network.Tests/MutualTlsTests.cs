using System.Net;
using System.Security.Cryptography.X509Certificates;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Core;
using Ledger.Crypto.Transport;
using Ledger.Proto.V1;

namespace Ledger.Network.Tests;

/// <summary>
/// Mutual TLS between validators, bound to their names: a transport certificate from the consortium's CA opens the
/// peer service only if it names a validator, and only for that validator — the one its SM2 handshake authenticates,
/// and the one the dialler meant to reach.
/// </summary>
[NonParallelizable]
public sealed class MutualTlsTests
{
    private TransportCertificateAuthority _ca = null!;
    private TransportTrust _trust = null!;
    private readonly List<IDisposable> _disposables = [];

    [OneTimeSetUp]
    public void CreateCa()
    {
        _ca = TransportCertificateAuthority.Create("Test consortium", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        _trust = TransportTrust.FromCertificate(_ca.Certificate);
    }

    [OneTimeTearDown]
    public void DisposeAll()
    {
        foreach (var d in _disposables) d.Dispose();
        _ca.Dispose();
    }

    [Test]
    public async Task Validators_whose_certificates_name_them_connect_and_a_validator_fetches_blocks()
    {
        var ids = Identities(2);
        await using var v0 = await StartAsync(ids[0], ids, Certificate(ids[0].Name));
        await using var v1 = await StartAsync(ids[1], ids, Certificate(ids[1].Name));
        v0.Handlers.Blocks[1] = [1, 2, 3];
        v0.Handlers.Height = 1;
        StartNetwork(v0, Certificate(ids[0].Name), v1);
        StartNetwork(v1, Certificate(ids[1].Name), v0);

        await TestMessages.Eventually(() => v0.Network.Peers.Single().Connected && v1.Network.Peers.Single().Connected && v1.Network.HighestPeerHeight == 1,
            "both validators connected over mutual TLS, v0's head known to v1");
        Assert.That(v0.Network.Metrics.AuthFailures + v1.Network.Metrics.AuthFailures, Is.Zero);

        var blocks = await v1.Network.FetchBlocksAsync(1, 1, CancellationToken.None);
        Assert.That(blocks.Single(), Is.EqualTo(new byte[] { 1, 2, 3 }), "GetBlocks serves a validator's certificate");
    }

    [Test]
    public async Task A_validator_showing_another_validators_certificate_is_refused_both_ways()
    {
        // v1 holds its own SM2 key but a transport certificate naming v2 (another validator of the same consortium).
        var ids = Identities(3);
        await using var v0 = await StartAsync(ids[0], ids, Certificate(ids[0].Name));
        var misnamed = Certificate(ids[2].Name);
        await using var v1 = await StartAsync(ids[1], ids, misnamed);
        StartNetwork(v0, Certificate(ids[0].Name), v1);
        StartNetwork(v1, misnamed, v0);

        // v1 dials v0: TLS passes (same CA, names a validator), then its SM2 handshake is v1's, not v2's: refused.
        await TestMessages.Eventually(() => v0.Network.Metrics.AuthFailures >= 2, "v0 refused v1's streams at least twice");
        // v0 dials v1: the server certificate names v2, not the v1 it dialled: refused in the TLS handshake.
        await TestMessages.Eventually(() => v0.Network.Metrics.Reconnects >= 2, "v0 retried its dial to v1 at least twice");
        Assert.That(v0.Network.Peers.Single().Connected, Is.False, "v0 never accepted v1's server certificate");
        Assert.That(v0.Network.Peers.Single().ValidatorId, Is.Null, "no SM2 handshake with the misnamed server was ever completed");
        Assert.That(v1.Network.Peers.Single().Connected, Is.False);
        Assert.That(v0.Network.HighestPeerHeight, Is.Zero, "no status from v1 was ever taken in");

        // The same refusal, seen by a caller: the status and the ErrorCode.
        var refusal = await ConnectAsync(v0, misnamed, ids[1]);
        Assert.That(refusal.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(Reason(refusal), Is.EqualTo(nameof(ErrorCode.TransportCertificateNameMismatch)));
    }

    [Test]
    public async Task A_consortium_members_certificate_opens_no_peer_endpoint()
    {
        var ids = Identities(2);
        await using var v0 = await StartAsync(ids[0], ids, Certificate(ids[0].Name));
        v0.Handlers.Blocks[1] = [9];
        StartNetwork(v0, Certificate(ids[0].Name));

        // A signer's or explorer's certificate: same transport CA, no validator named.
        var member = Certificate(null, "guangzhou-signer");
        var getBlocks = await GetBlocksAsync(v0, member);
        Assert.That(getBlocks.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(Reason(getBlocks), Is.EqualTo(nameof(ErrorCode.NotAValidatorTransportCertificate)));
        var connect = await ConnectAsync(v0, member, ids[1]);
        Assert.That(connect.StatusCode, Is.EqualTo(StatusCode.PermissionDenied), "refused before any challenge is sent");
        Assert.That(Reason(connect), Is.EqualTo(nameof(ErrorCode.NotAValidatorTransportCertificate)));

        // A certificate naming a validator the chain does not have.
        var stranger = await GetBlocksAsync(v0, Certificate("v9"));
        Assert.That(stranger.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(Reason(stranger), Is.EqualTo(nameof(ErrorCode.NotAValidatorTransportCertificate)));

        // No client certificate at all.
        var anonymous = await GetBlocksAsync(v0, null);
        Assert.That(anonymous.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(Reason(anonymous), Is.EqualTo(nameof(ErrorCode.TransportCertificateMissing)));
        Assert.That(v0.Network.Metrics.AuthFailures, Is.EqualTo(4), "every refusal counted");

        // Positive control on the same endpoint: v1's own certificate gets the block.
        using var channel = Channel(v0, Certificate(ids[1].Name));
        using var call = new PeerService.PeerServiceClient(channel).GetBlocks(new GetBlocksRequest { FromHeight = 1, MaxBlocks = 1 });
        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None), Is.True);
        Assert.That(call.ResponseStream.Current.Block.ToByteArray(), Is.EqualTo(new byte[] { 9 }));
    }

    [Test]
    public void A_certificate_names_its_validator_and_a_plain_one_names_none()
    {
        Assert.That(ValidatorTransportName.Read(Certificate("guangzhou")), Is.EqualTo(new[] { "guangzhou" }));
        Assert.That(ValidatorTransportName.Read(Certificate(null, "explorer")), Is.Empty);
        Assert.Throws<ArgumentException>(() => _ca.Issue("x", ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), "a b"));
    }

    private static TestIdentity[] Identities(int n) => Enumerable.Range(0, n).Select(i => new TestIdentity($"v{i}")).ToArray();

    private X509Certificate2 Certificate(string? validator, string? name = null)
    {
        var certificate = _ca.Issue(name ?? validator!, ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(2), validator);
        _disposables.Add(certificate);
        return certificate;
    }

    private Task<TestPeer> StartAsync(TestIdentity identity, TestIdentity[] validators, X509Certificate2 serverCertificate) =>
        TestPeer.StartAsync(identity, validators, tls: (serverCertificate, _trust));

    private void StartNetwork(TestPeer peer, X509Certificate2 clientCertificate, params TestPeer[] peers) =>
        peer.StartNetwork(peers.Select(p => p.Endpoint), o => o with
        {
            Tls = _trust.ClientOptions(clientCertificate),
            TransportNames = ValidatorTransportName.Read,
        });

    private GrpcChannel Channel(TestPeer server, X509Certificate2? client) =>
        GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = _trust.CreateHandler(client), DisposeHttpClient = true });

    private async Task<RpcException> GetBlocksAsync(TestPeer server, X509Certificate2? client)
    {
        using var channel = Channel(server, client);
        using var call = new PeerService.PeerServiceClient(channel).GetBlocks(new GetBlocksRequest { FromHeight = 1, MaxBlocks = 1 }, deadline: DateTime.UtcNow.AddSeconds(10));
        return (await AsyncAssert.ThrowsAsync(() => call.ResponseStream.MoveNext(CancellationToken.None)))!;
    }

    /// <summary>Dials Connect with a client certificate and answers the refusal it meets (at the latest after its Hello).</summary>
    private async Task<RpcException> ConnectAsync(TestPeer server, X509Certificate2 client, TestIdentity sm2)
    {
        using var channel = Channel(server, client);
        using var call = new PeerService.PeerServiceClient(channel).Connect(deadline: DateTime.UtcNow.AddSeconds(10));
        return (await AsyncAssert.ThrowsAsync(async () =>
        {
            Assert.That(await call.ResponseStream.MoveNext(), Is.True);
            var nonce = call.ResponseStream.Current.Challenge.Nonce.ToByteArray();
            var own = Handshake.NewNonce();
            var auth = new FakeAuthenticator(sm2, [sm2]);
            await call.RequestStream.WriteAsync(new PeerFrame
            {
                Hello = new PeerHello
                {
                    ChainId = server.ChainIdInUse,
                    Certificate = Google.Protobuf.ByteString.CopyFrom(sm2.Certificate),
                    Signature = Google.Protobuf.ByteString.CopyFrom(auth.Sign(Handshake.Transcript(dialer: true, server.ChainIdInUse, nonce, own))),
                    Challenge = Google.Protobuf.ByteString.CopyFrom(own),
                },
            });
            await call.ResponseStream.MoveNext();
            Assert.Fail($"the server answered {call.ResponseStream.Current.KindCase} instead of refusing");
        }))!;
    }

    private static string? Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;

    private static class AsyncAssert
    {
        public static async Task<RpcException?> ThrowsAsync(Func<Task> action)
        {
            try
            {
                await action();
            }
            catch (RpcException e)
            {
                return e;
            }
            Assert.Fail("expected an RpcException");
            return null;
        }
    }
}
