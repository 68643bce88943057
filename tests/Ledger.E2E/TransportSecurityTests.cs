using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Crypto.Transport;
using Ledger.TestKit;
using Ledger.TestKit.Transport;
using Rpc = Ledger.Proto.V1;

namespace Ledger.E2E;

/// <summary>
/// Issue 13, transport: every listener of a running devnet speaks TLS only (checked from outside with curl and
/// openssl s_client), and a validator holding a certificate of another consortium's transport CA is refused.
/// </summary>
public class TransportSecurityTests
{
    private const int Validators = 2;

    [Test]
    [Category("Interop")]
    public async Task No_listener_of_the_devnet_answers_without_tls()
    {
        OpenSsl.Require();
        if (!File.Exists(Curl)) Assert.Ignore("curl is not installed (scripts/test.sh installs it)");
        using var devnet = new DevnetFixture(Validators);
        using var foreign = new ForeignConsortium();
        using var process = LedgerProcess.Start("devnet", "--dir", devnet.Directory.FullName);
        for (var i = 0; i < Validators; i++) await devnet.WaitHealthyAsync(i, TimeSpan.FromSeconds(60), process);
        // Validators' gRPC and HTTP ports, the signer's two, the explorer's.
        var ports = Enumerable.Range(0, 2 * Validators + 3).Select(i => devnet.BasePort + i).ToArray();
        await WaitServingAsync(devnet, ports[^1], "/api/genesis", process);
        await WaitServingAsync(devnet, ports[^2], "/healthz", process);

        var ca = devnet.Transport.CaPath;
        foreach (var port in ports)
        {
            var http1 = Run(Curl, "-sS", "--max-time", "10", "--http1.1", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{port}/healthz");
            Assert.That(http1.ExitCode, Is.Not.Zero, $"port {port} answered plain HTTP/1.1: {http1.StdOut}");
            Assert.That(http1.StdOut, Is.EqualTo("000"), $"port {port}: no HTTP status over plaintext");
            var h2c = Run(Curl, "-sS", "--max-time", "10", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{port}/healthz");
            Assert.That(h2c.ExitCode, Is.Not.Zero, $"port {port} answered plaintext HTTP/2: {h2c.StdOut}");
            Assert.That(h2c.StdOut, Is.EqualTo("000"), $"port {port}: no HTTP/2 status over plaintext");

            // Positive control: the same port over TLS, the consortium's transport CA pinned.
            var tls = Run(Curl, "-sS", "--max-time", "10", "--cacert", ca, "-o", "/dev/null", "-w", "%{http_code}", $"https://127.0.0.1:{port}/healthz");
            Assert.That(tls.ExitCode, Is.Zero, $"port {port} over TLS: {tls.StdErr}");
            Assert.That(tls.StdOut, Is.Not.EqualTo("000"), $"port {port} answered over TLS");
            // Another consortium's CA does not vouch for this port's certificate.
            var untrusted = Run(Curl, "-sS", "--max-time", "10", "--cacert", foreign.Transport.CaPath, "-o", "/dev/null", $"https://127.0.0.1:{port}/healthz");
            Assert.That(untrusted.ExitCode, Is.EqualTo(60), $"port {port} with a foreign CA: curl's 'peer certificate cannot be authenticated' expected, {untrusted.StdErr}");

            var sClient = OpenSsl.Run(devnet.Directory.FullName, "s_client", "-connect", $"127.0.0.1:{port}", "-CAfile", ca, "-verify_return_error", "-brief");
            var sClientText = sClient.StdOut + sClient.StdErr;
            // (s_client's exit code is not asserted: with stdin closed it may see the server's EOF before its own close_notify.)
            Assert.That(sClientText, Does.Contain("CONNECTION ESTABLISHED").And.Contain("Verification: OK").And.Match("Protocol version: TLSv1\\.[23]"), $"port {port}");
            Assert.That(sClientText, Does.Contain("ECDSA").Or.Contain("ecdsa").Or.Contain("P-256").Or.Contain("prime256v1"), $"port {port}: an ECDSA P-256 certificate");
            var sForeign = OpenSsl.Run(devnet.Directory.FullName, "s_client", "-connect", $"127.0.0.1:{port}", "-CAfile", foreign.Transport.CaPath, "-verify_return_error", "-brief");
            var sForeignText = sForeign.StdOut + sForeign.StdErr;
            Assert.That(sForeign.ExitCode, Is.Not.Zero, $"port {port} verified against a foreign CA: {sForeignText}");
            Assert.That(sForeignText, Does.Not.Contain("Verification: OK"), $"port {port}");
        }
        Assert.That(process.HasExited, Is.False, process.Output);
    }

    [Test]
    public async Task A_validator_with_a_certificate_of_another_consortiums_transport_ca_is_refused()
    {
        using var devnet = new DevnetFixture(Validators);
        using var foreign = new ForeignConsortium();
        var province = devnet.NodeConfig("guangdong");
        var cityConfig = devnet.NodeConfig("guangzhou");
        using var provinceNode = LedgerProcess.Start("node", "--config", province);
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), provinceNode);

        // Positive control: with the consortium's certificate the city's validator connects.
        using (var city = LedgerProcess.Start("node", "--config", cityConfig))
        {
            await devnet.WaitHealthyAsync(1, TimeSpan.FromSeconds(60), city);
            await WaitAsync(async () => await PeerConnectedAsync(devnet, 0, "guangzhou") && await PeerConnectedAsync(devnet, 1, "guangdong"),
                "both validators connected over mutual TLS", provinceNode);
            Assert.That(city.Stop(TimeSpan.FromSeconds(20)), Is.Zero, city.Output);
        }
        await WaitAsync(async () => !await PeerConnectedAsync(devnet, 0, "guangzhou"), "the province saw the city go", provinceNode);

        // The same validator (same SM2 key, in genesis) with a TLS certificate of another consortium's transport CA.
        var config = JsonNode.Parse(await File.ReadAllTextAsync(cityConfig))!;
        config["tlsCertificate"] = foreign.Transport.CertificatePath;
        config["tlsKey"] = foreign.Transport.KeyPath;
        config["transportCa"] = foreign.Transport.CaPath;
        var foreignConfig = Path.Combine(Path.GetDirectoryName(cityConfig)!, "config-foreign.json");
        await File.WriteAllTextAsync(foreignConfig, config.ToJsonString());
        using var impostor = LedgerProcess.Start("node", "--config", foreignConfig);
        using (var http = foreign.Transport.Http(TimeSpan.FromSeconds(5)))
            await WaitAsync(async () => (await http.GetAsync(new Uri(devnet.HttpAddress(1), "/healthz"))).IsSuccessStatusCode, "the impostor is up", impostor);

        // Both directions fail in the TLS handshake, several times over, and no stream comes up.
        await WaitAsync(() => Task.FromResult(Count(provinceNode.Output, "Peer guangzhou", "SSL") >= 2), "the province refused the impostor's server certificate", provinceNode);
        await WaitAsync(() => Task.FromResult(Count(impostor.Output, "Peer guangdong", "connection failed") >= 2), "the impostor's dials were refused", impostor);
        Assert.That(await PeerConnectedAsync(devnet, 0, "guangzhou"), Is.False);
        Assert.That(Metric(await MetricsAsync(devnet, 0), "ledger_peer_auth_failures_total"), Is.Zero,
            "refused by TLS before any SM2 handshake: the impostor never got to present its validator key");

        // Directly: the peer service without a client certificate, with a foreign one, with a consortium member's (the
        // signer's, from our own transport CA), and with a validator's.
        var peerAddress = devnet.GrpcAddress(0);
        using (var anonymous = devnet.Transport.Channel(peerAddress))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => ReadBlocksAsync(anonymous, devnet.Observer));
            Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated), "no client certificate");
            Assert.That(Reason(refused), Is.EqualTo("TransportCertificateMissing"));
        }
        using (var foreignClient = Channel(peerAddress, devnet.Transport.Trust, foreign.ClientCertificate))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => ReadBlocksAsync(foreignClient, devnet.Observer));
            Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.Unavailable).Or.EqualTo(StatusCode.Internal), $"the TLS handshake fails: {refused.Status}");
        }
        using var signer = TransportCredentials.Load(SignerFile(devnet, "tls.pem"), SignerFile(devnet, "tls.key"));
        using (var member = Channel(peerAddress, devnet.Transport.Trust, signer))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => ReadBlocksAsync(member, devnet.Observer));
            Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied), "a member's certificate of our CA names no validator");
            Assert.That(Reason(refused), Is.EqualTo("NotAValidatorTransportCertificate"));
        }
        using var cityCertificate = TransportCredentials.Load(Path.Combine(devnet.Directory.FullName, "nodes", "guangzhou", "tls.pem"), Path.Combine(devnet.Directory.FullName, "nodes", "guangzhou", "tls.key"));
        using (var validator = Channel(peerAddress, devnet.Transport.Trust, cityCertificate))
            Assert.That(await ReadBlocksAsync(validator, devnet.Observer), Is.GreaterThanOrEqualTo(1), "a validator's certificate gets the blocks");
    }

    [Test]
    public async Task A_validator_showing_another_validators_transport_certificate_is_refused()
    {
        using var devnet = new DevnetFixture(Validators);
        var cityConfig = devnet.NodeConfig("guangzhou");
        using var provinceNode = LedgerProcess.Start("node", "--config", devnet.NodeConfig("guangdong"));
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(60), provinceNode);

        // The city's validator (its own SM2 key) with the province's transport certificate: a node checks its own
        // certificate names it, so it refuses to start — one line, exit 2.
        var config = JsonNode.Parse(await File.ReadAllTextAsync(cityConfig))!;
        config["tlsCertificate"] = Path.Combine(devnet.Directory.FullName, "nodes", "guangdong", "tls.pem");
        config["tlsKey"] = Path.Combine(devnet.Directory.FullName, "nodes", "guangdong", "tls.key");
        var misnamedConfig = Path.Combine(Path.GetDirectoryName(cityConfig)!, "config-misnamed.json");
        await File.WriteAllTextAsync(misnamedConfig, config.ToJsonString());
        var (exit, output) = LedgerProcess.Run("node", "--config", misnamedConfig);
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("does not name validator guangzhou").And.Not.Contain("   at "));

        // Driven by hand past that check: a client with the province's certificate that signs its handshake with the
        // city's SM2 key is refused by the province after the handshake (the name in TLS and in SM2 differ).
        using var provinceCertificate = TransportCredentials.Load(Path.Combine(devnet.Directory.FullName, "nodes", "guangdong", "tls.pem"), Path.Combine(devnet.Directory.FullName, "nodes", "guangdong", "tls.key"));
        using var channel = Channel(devnet.GrpcAddress(0), devnet.Transport.Trust, provinceCertificate);
        var passphrase = File.ReadAllText(Path.Combine(devnet.Directory.FullName, "passphrase")).Trim();
        using var cityKey = Ledger.Crypto.KeyFile.Load(Path.Combine(devnet.Directory.FullName, "nodes", "guangzhou", "node.key"), passphrase,
            new Ledger.Crypto.KeyFileOptions { AllowWeakIterations = true });
        var cityCertificate = Ledger.Crypto.Certificates.LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(devnet.Directory.FullName, "nodes", "guangzhou", "node.pem")));
        var refused = await Assert.ThrowsAsync<RpcException>(() => HandshakeAsync(channel, devnet.ChainId, cityCertificate, cityKey));
        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied), refused.Status.ToString());
        Assert.That(Reason(refused), Is.EqualTo("TransportCertificateNameMismatch"));
        Assert.That(provinceNode.Output, Does.Contain("its transport certificate names guangdong, but its SM2 handshake authenticated validator guangzhou"));
    }

    /// <summary>The dialler's side of the peer handshake (peer_service.proto, docs/wire-format.md), by hand.</summary>
    private static async Task HandshakeAsync(GrpcChannel channel, string chainId, Ledger.Crypto.Certificates.LedgerCertificate certificate, Ledger.Crypto.Sm2PrivateKey key)
    {
        using var call = new Rpc.PeerService.PeerServiceClient(channel).Connect(deadline: DateTime.UtcNow.AddSeconds(20));
        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None), Is.True);
        var serverNonce = call.ResponseStream.Current.Challenge.Nonce.ToByteArray();
        var ownNonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await call.RequestStream.WriteAsync(new Rpc.PeerFrame
        {
            Hello = new Rpc.PeerHello
            {
                ChainId = chainId,
                Certificate = Google.Protobuf.ByteString.CopyFrom(certificate.Der),
                Signature = Google.Protobuf.ByteString.CopyFrom(key.Sign(Transcript(chainId, serverNonce, ownNonce))),
                Challenge = Google.Protobuf.ByteString.CopyFrom(ownNonce),
            },
        });
        await call.ResponseStream.MoveNext(CancellationToken.None);
        Assert.Fail($"the province answered {call.ResponseStream.Current.KindCase} instead of refusing");
    }

    /// <summary>What the dialler signs, from peer_service.proto: domain ‖ u32be(len(chain id)) ‖ chain id ‖ server nonce ‖ dialler nonce.</summary>
    private static byte[] Transcript(string chainId, byte[] serverNonce, byte[] dialerNonce)
    {
        var chain = System.Text.Encoding.UTF8.GetBytes(chainId);
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)chain.Length);
        return [.. "ledger/v1/peer-handshake/dialer\0"u8, .. length, .. chain, .. serverNonce, .. dialerNonce];
    }

    private static string SignerFile(DevnetFixture devnet, string file) =>
        Path.Combine(Directory.EnumerateDirectories(Path.Combine(devnet.Directory.FullName, "signers")).Single(), file);

    private static string? Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;

    private static readonly string Curl = "/usr/bin/curl";

    private static ProcessRunner.Outcome Run(string file, params string[] args) => ProcessRunner.Run(file, args, timeout: TimeSpan.FromSeconds(30));

    private static int Count(string output, string a, string b) =>
        output.Split('\n').Count(l => l.Contains(a, StringComparison.Ordinal) && l.Contains(b, StringComparison.Ordinal));

    private static async Task<int> ReadBlocksAsync(GrpcChannel channel, Ledger.Client.Access.CallerIdentity? caller = null)
    {
        var client = caller is null
            ? new Rpc.PeerService.PeerServiceClient(channel)
            : new Rpc.PeerService.PeerServiceClient(Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(), new Ledger.Client.Access.CallSigningInterceptor(caller)));
        using var call = client.GetBlocks(new Rpc.GetBlocksRequest { FromHeight = 0, MaxBlocks = 1 }, deadline: DateTime.UtcNow.AddSeconds(20));
        var count = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) count++;
        return count;
    }

    private static GrpcChannel Channel(Uri address, TransportTrust trust, X509Certificate2 client) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = trust.CreateHandler(client), DisposeHttpClient = true });


    private static async Task<string> MetricsAsync(DevnetFixture devnet, int index)
    {
        using var http = devnet.Transport.Http(TimeSpan.FromSeconds(5));
        return await http.GetStringAsync(new Uri(devnet.HttpAddress(index), "/metrics"));
    }

    private static double Metric(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Sum();

    private static async Task<bool> PeerConnectedAsync(DevnetFixture devnet, int index, string peer)
    {
        try
        {
            var metrics = await MetricsAsync(devnet, index);
            return metrics.Split('\n').Any(l => l.StartsWith("ledger_peer_connected{", StringComparison.Ordinal) && l.Contains($"peer=\"{peer}\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task WaitServingAsync(DevnetFixture devnet, int port, string path, LedgerProcess process)
    {
        using var http = devnet.Transport.Http(TimeSpan.FromSeconds(2));
        await WaitAsync(async () => (await http.GetAsync(new Uri($"https://127.0.0.1:{port}{path}"))).IsSuccessStatusCode, $"port {port} serves {path}", process);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, LedgerProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) Assert.Fail($"{what}: the process exited:\n{process.Output}");
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        Assert.Fail($"timed out waiting: {what}\n{process.Output}");
    }

    /// <summary>Another consortium's transport CA, with a service certificate and a client certificate from it.</summary>
    private sealed class ForeignConsortium : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("ledger-foreign-");

        public ForeignConsortium()
        {
            // Even bound to the name of a validator of ours: the CA is not ours.
            Transport = TestTransport.Create(_directory.FullName, "guangzhou", validator: "guangzhou");
            ClientCertificate = TransportCredentials.Load(Transport.CertificatePath!, Transport.KeyPath!);
        }

        public TestTransport Transport { get; }

        public X509Certificate2 ClientCertificate { get; }

        public void Dispose()
        {
            ClientCertificate.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}
