using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Ledger.Client.Access;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Crypto.Transport;
using Ledger.Signer;
using Ledger.Signer.Grpc;
using Ledger.Signer.Hosting;
using Ledger.Signer.Intent;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/Ledger.Benchmarks -- signer [--kdf N] [--holders H] [--confirmations N] [--concurrency C]`:
/// confirmed signatures per second through the signer's gRPC service on 127.0.0.1 (request + confirm per signature),
/// against this machine's raw SM2 sign rate and the cost of one key-file unlock, measured in the same run.
/// </summary>
internal static class SignerBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        int Option(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var kdf = Option("--kdf", KeyFileOptions.MinimumIterations);
        var holders = Option("--holders", 4);
        var confirmations = Option("--confirmations", 24);
        var concurrency = Option("--concurrency", Environment.ProcessorCount * 2);

        var directory = Directory.CreateTempSubdirectory("ledger-signer-bench-");
        try
        {
            var (config, caConfig, operatorIdentity) = Setup(directory.FullName, kdf);
            // The city's CA in-process: enrolment is not what this measures (the CA process is a gRPC hop away in production).
            using var ca = Ledger.Signer.Ca.EnrolmentCa.Open(caConfig);
            await using var host = await SignerHost.StartAsync(config, default, l => { }, null, null, ca);
            // Over TLS, as deployed: the signer's certificate from a transport CA this client pins.
            var trust = TransportTrust.Load(Path.Combine(directory.FullName, "transport-ca.pem"));
            using var channel = GrpcChannel.ForAddress(host.GrpcEndpoint, new GrpcChannelOptions { HttpHandler = trust.CreateHandler(), DisposeHttpClient = true });
            // Signed by the bureau's operator: Enrol takes nothing else (the holders' own calls ignore the signature).
            var client = new Rpc.SignerService.SignerServiceClient(channel.Intercept(new CallSigningInterceptor(operatorIdentity)));
            var enrolmentDesk = new Ledger.Client.Signer.SignerClient(channel.CreateCallInvoker(), operatorIdentity);
            const string pin = "bench-pin-8642";

            Console.WriteLine($"signer bench: KDF {kdf:N0} iterations, {holders} holders, {confirmations} confirmations, {concurrency} in flight, {Environment.ProcessorCount} cores");
            var enrolWatch = Stopwatch.StartNew();
            var ids = new List<string>();
            for (var h = 0; h < holders; h++)
                ids.Add((await enrolmentDesk.EnrolWorkerAsync(pin, "44010619850315002X")).HolderId);
            var enrolSeconds = enrolWatch.Elapsed.TotalSeconds / holders;

            // Warm-up: one confirmation per holder.
            await ConfirmAsync(client, ids, pin, holders, holders);
            var watch = Stopwatch.StartNew();
            var latencies = await ConfirmAsync(client, ids, pin, confirmations, concurrency);
            var seconds = watch.Elapsed.TotalSeconds;
            var rate = confirmations / seconds;

            // Baselines, same run: raw SM2 signing (one core), and one key-file unlock at this KDF (what every confirmation pays).
            using var key = Sm2PrivateKey.Generate();
            var message = RandomNumberGenerator.GetBytes(128);
            var signs = 0;
            var signWatch = Stopwatch.StartNew();
            while (signWatch.Elapsed < TimeSpan.FromSeconds(2))
            {
                key.Sign(message);
                signs++;
            }
            var signRate = signs / signWatch.Elapsed.TotalSeconds;
            var file = KeyFile.Serialize(key, pin, new KeyFileOptions(kdf) { AllowWeakIterations = true });
            var unlockWatch = Stopwatch.StartNew();
            const int unlocks = 3;
            for (var i = 0; i < unlocks; i++) KeyFile.Deserialize(file, pin, new KeyFileOptions(kdf) { AllowWeakIterations = true }).Dispose();
            var unlockSeconds = unlockWatch.Elapsed.TotalSeconds / unlocks;
            var kdfBound = Environment.ProcessorCount / unlockSeconds;

            latencies.Sort();
            string F(double v, string format = "#,0.0") => v.ToString(format, CultureInfo.InvariantCulture);
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine();
            Console.WriteLine("| figure | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| confirmed signatures/s (gRPC, request + confirm) | {F(rate, "#,0.00")} |");
            Console.WriteLine($"| confirmation latency p50 / p99 | {F(latencies[latencies.Count / 2] * 1000, "#,0")} ms / {F(latencies[(int)(latencies.Count * 0.99)] * 1000, "#,0")} ms |");
            Console.WriteLine($"| enrolment, one at a time | {F(enrolSeconds * 1000, "#,0")} ms |");
            Console.WriteLine($"| one key-file unlock (PBKDF2-HMAC-SM3 x {kdf:N0}), one core | {F(unlockSeconds * 1000, "#,0")} ms |");
            Console.WriteLine($"| KDF bound: {Environment.ProcessorCount} cores / unlock time | {F(kdfBound, "#,0.00")} /s |");
            Console.WriteLine($"| raw SM2 sign/s, one core | {F(signRate, "#,0")} |");
            Console.WriteLine($"| **ratio confirmed/s / raw SM2 sign/s** | **{F(rate / signRate, "0.0000")}** |");
            Console.WriteLine($"| ratio confirmed/s / KDF bound | {F(rate / kdfBound, "0.00")} |");
            return 0;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<List<double>> ConfirmAsync(Rpc.SignerService.SignerServiceClient client, List<string> ids, string pin, int count, int concurrency)
    {
        var latencies = new List<double>();
        var next = -1;
        async Task Worker()
        {
            while (true)
            {
                var n = Interlocked.Increment(ref next);
                if (n >= count) return;
                var payload = SignerGrpcService.ToProto(new PayloadToSign("bench", new SignPayload { ContractId = $"GZ-{n}", Version = 1, DocumentHash = Sm3.Hash(BitConverter.GetBytes(n)) }));
                var holder = ids[n % ids.Count];
                var started = Stopwatch.GetTimestamp();
                var challenge = await client.RequestSignatureAsync(new Rpc.RequestSignatureRequest { HolderId = holder, Payload = payload });
                await client.ConfirmSignatureAsync(new Rpc.ConfirmSignatureRequest { HolderId = holder, ChallengeId = challenge.ChallengeId, Pin = pin, Payload = payload });
                lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        return latencies;
    }

    private static (SignerConfig Config, Ledger.Signer.Ca.CaConfig Ca, CallerIdentity Operator) Setup(string directory, int kdf)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = Sm2PrivateKey.Generate();
        var root = CertificateAuthority.CreateRoot("Bench Root CA", DivisionCode.Parse("440000"), rootKey, now.AddDays(-1), now.AddYears(1));
        using var cityKey = Sm2PrivateKey.Generate();
        var city = root.IssueIntermediate("Bench City CA", DivisionCode.Parse("440100"), cityKey, now.AddDays(-1), now.AddYears(1));
        File.WriteAllText(Path.Combine(directory, "passphrase"), "bench-passphrase");
        File.WriteAllText(Path.Combine(directory, "kek"), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        File.WriteAllText(Path.Combine(directory, "ca.pem"), city.Certificate.ToPem());
        File.WriteAllText(Path.Combine(directory, "pseudonym.key"), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        var operatorKey = Sm2PrivateKey.Generate();
        var operatorCertificate = city.Issue(new CertificateRequest("Bench bureau operator", Role.Operator, DivisionCode.Parse("440100"), operatorKey.PublicKey,
            now.AddDays(-1), now.AddYears(1)));
        KeyFile.Save(Path.Combine(directory, "ca.key"), cityKey, "bench-passphrase", KeyFileOptions.ForTests);
        using var transportCa = TransportCertificateAuthority.Create("Bench consortium", now.AddDays(-1), now.AddYears(1));
        File.WriteAllText(Path.Combine(directory, "transport-ca.pem"), transportCa.CertificatePem());
        using (var tls = transportCa.Issue("bench-signer", ["localhost"], [System.Net.IPAddress.Loopback], now.AddDays(-1), now.AddYears(1)))
            TransportCredentials.Save(tls, Path.Combine(directory, "tls.pem"), Path.Combine(directory, "tls.key"));
        return (new SignerConfig
        {
            Name = "bench",
            ChainId = "bench",
            CaCertificate = "ca.pem",
            CaUrl = "https://127.0.0.1:9",   // unused: the bench hands the signer its CA in-process
            PassphraseFile = "passphrase",
            KekFile = "kek",
            DataDir = "data",
            GrpcListen = "127.0.0.1:0",
            HttpListen = "127.0.0.1:0",
            KdfIterations = kdf,
            AllowWeakKdf = true, // the CA key file above is at the test KDF; holders get `kdf`
            RateLimitPerSecond = 100_000,
            RateLimitBurst = 100_000,
            CallTimeoutSeconds = 600,
            TlsCertificate = "tls.pem",
            TlsKey = "tls.key",
            BaseDirectory = directory,
        }, new Ledger.Signer.Ca.CaConfig
        {
            Name = "bench-ca",
            CaCertificate = "ca.pem",
            CaKey = "ca.key",
            PassphraseFile = "passphrase",
            PseudonymKeyFile = "pseudonym.key",
            Insecure = true,
            DataDir = "ca-data",
            GrpcListen = "127.0.0.1:0",
            KdfIterations = KeyFileOptions.TestIterations,
            AllowWeakKdf = true,
            BaseDirectory = directory,
        }, new CallerIdentity(operatorCertificate, operatorKey));
    }
}
