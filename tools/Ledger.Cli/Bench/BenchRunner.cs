using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Ledger.Core.Contracts;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Transport;
using Rpc = Ledger.Proto.V1;

namespace Ledger.Cli.Bench;

/// <summary>
/// <c>ledger bench</c>: pre-signs register txs (employer body and statement signatures: 2 per tx), submits
/// them with a fixed number in flight, waits for each commit, and reports sustained tx/s, commit latency
/// percentiles, and the ratio of tx/s to the crypto bound measured in the same run — cores × SM2
/// verifications per second (one core, measured here) ÷ (signatures per tx × validators on this machine).
/// </summary>
public sealed class BenchRunner(LoadIdentity identity, Uri node, TransportTrust? transportCa, BenchOptions options, TextWriter output)
{
    public const int SignaturesPerTx = 2;

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        output.WriteLine($"measuring this machine's SM2 verify rate ({options.CryptoSeconds} s, one core) ...");
        var verifyPerCore = MeasureVerifyRate(TimeSpan.FromSeconds(options.CryptoSeconds));
        var cores = Environment.ProcessorCount;
        // Every validator on this machine verifies every signature (admission, or re-execution of a proposal).
        var bound = cores * verifyPerCore / (SignaturesPerTx * options.Validators);

        output.WriteLine($"signing {options.Transactions} txs ...");
        var txs = Sign(options.Transactions);

        using var channel = GrpcChannel.ForAddress(node, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            HttpHandler = node.Scheme == Uri.UriSchemeHttps && transportCa is not null ? transportCa.CreateHandler() : null,
            DisposeHttpClient = true,
        });
        // Every call signed by the employer's certificate (as an integrator's SDK would), unless measuring without.
        var client = options.Anonymous
            ? new Rpc.LedgerService.LedgerServiceClient(channel)
            : new Rpc.LedgerService.LedgerServiceClient(Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(),
                new Ledger.Client.Access.CallSigningInterceptor(new Ledger.Client.Access.CallerIdentity(identity.Certificate, identity.Key))));
        var start = await client.GetChainInfoAsync(new Rpc.GetChainInfoRequest(), cancellationToken: cancellationToken);
        output.WriteLine($"submitting to {node} (chain {start.ChainId}, height {start.Height}) with {options.Concurrency} in flight, {(options.Anonymous ? "anonymous calls" : "signed calls")} ...");

        var latencies = new ConcurrentBag<double>();
        var failures = new ConcurrentDictionary<string, int>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= txs.Length || cancellationToken.IsCancellationRequested) return;
                if (options.Rate > 0)
                {
                    // An open-loop schedule: tx i leaves at i / rate seconds, whatever happened to the others.
                    var due = TimeSpan.FromSeconds((double)i / options.Rate) - clock.Elapsed;
                    if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
                }
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var submitted = await SubmitHonouringRetryHintsAsync(client, txs[i], started, cancellationToken);
                    var committed = await client.WaitForCommitAsync(new Rpc.WaitForCommitRequest { TxId = submitted.TxId, TimeoutMs = 60_000 }, cancellationToken: cancellationToken);
                    if (committed.ReceiptCode != 0) failures.AddOrUpdate(committed.ReceiptCodeName, 1, (_, n) => n + 1);
                    else latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (RpcException e)
                {
                    failures.AddOrUpdate(e.StatusCode.ToString(), 1, (_, n) => n + 1);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();

        var end = await client.GetChainInfoAsync(new Rpc.GetChainInfoRequest(), cancellationToken: cancellationToken);
        var sorted = latencies.Order().ToArray();
        var committedCount = sorted.Length;
        var txPerSecond = committedCount / clock.Elapsed.TotalSeconds;
        return new BenchReport(
            committedCount, failures.ToDictionary(), clock.Elapsed, txPerSecond,
            Percentile(sorted, 0.50), Percentile(sorted, 0.99), cores, verifyPerCore, bound, txPerSecond / bound,
            end.Height - start.Height, options.Concurrency, options.Validators, options.Rate, (int)Interlocked.Read(ref _retries));
    }

    private long _retries;

    /// <summary>As the SDK does: a RESOURCE_EXHAUSTED refusal with a retry hint is sent again after the hint, within 60 s of the first try.</summary>
    private async Task<Rpc.SubmitResponse> SubmitHonouringRetryHintsAsync(Rpc.LedgerService.LedgerServiceClient client, ByteString envelope, long started, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await client.SubmitAsync(new Rpc.SubmitRequest { Envelope = envelope }, cancellationToken: cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && Ledger.Client.LedgerClient.RetryAfterOf(e) is { } hint)
            {
                var wait = hint * (1 + 0.2 * Random.Shared.NextDouble());
                if (Stopwatch.GetElapsedTime(started) + wait > TimeSpan.FromSeconds(60)) throw;
                Interlocked.Increment(ref _retries);
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    private ByteString[] Sign(int count)
    {
        var txs = new ByteString[count];
        var batch = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        Parallel.For(0, count, i =>
        {
            var contractId = $"BENCH-{batch}-{i}";
            var payload = new RegisterPayload
            {
                ContractId = contractId,
                DocumentHash = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(contractId)),
                DocumentFormat = DocumentFormat.Pdf,
                EmployerCreditCode = identity.CreditCode.Value,
                WorkerPseudonym = Sm3.Hash(System.Text.Encoding.UTF8.GetBytes("worker:" + contractId)),
                Terms = new ContractTerms
                {
                    Type = ContractType.OpenEnded,
                    Start = ContractDate.Create(2026, 1, 1),
                    PlaceOfWork = "440106000000",
                    Industry = "I6510",
                },
            };
            var nonce = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
            var body = ContractPayloads.CreateBody(payload, identity.ChainId, nonce, DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(), identity.Certificate.Id,
                [new TxEndorser(identity.Certificate.Id, EndorsementScope.Body), new TxEndorser(identity.Certificate.Id, EndorsementScope.Statement)]).Encode();
            var statement = ContractPayloads.StatementFor(payload, identity.ChainId, Sm3Hasher.Instance).SigningMessage();
            var envelope = new TxEnvelope
            {
                BodyBytes = body,
                Endorsements =
                [
                    new Endorsement { Certificate = identity.Certificate.Der, Signature = identity.Key.Sign(body) },
                    new Endorsement { Certificate = identity.Certificate.Der, Signature = identity.Key.Sign(statement), Scope = EndorsementScope.Statement },
                ],
            };
            txs[i] = ByteString.CopyFrom(envelope.Encode());
        });
        return txs;
    }

    /// <summary>SM2 verifications per second on one core: the same work admission does per signature.</summary>
    public static double MeasureVerifyRate(TimeSpan duration)
    {
        using var key = Sm2PrivateKey.Generate();
        var message = new byte[300];
        var signature = key.Sign(message);
        var publicKey = Sm2PublicKey.FromBytes(key.PublicKey.ToBytes());
        for (var i = 0; i < 50; i++) publicKey.Verify(message, signature); // warm up
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            if (!publicKey.Verify(message, signature)) throw new InvalidOperationException("SM2 self-check failed");
            count++;
        }
        return count / clock.Elapsed.TotalSeconds;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
