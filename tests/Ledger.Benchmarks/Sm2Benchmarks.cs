using BenchmarkDotNet.Attributes;
using Ledger.Crypto;

namespace Ledger.Benchmarks;

/// <summary>
/// SM2 sign and verify of a 256-byte message, default signer ID: single core, and verify spread over every core
/// (16 different signers, as a validator sees many endorsers; the verifier's key cache is warm in both cases).
/// </summary>
public class Sm2Benchmarks
{
    public const int ParallelBatch = 256;

    private Sm2PrivateKey _key = null!;
    private Sm2Verifier _verifier = null!;
    private byte[] _publicKey = null!;
    private byte[] _message = null!;
    private byte[] _signature = null!;
    private byte[][] _messages = null!;
    private byte[][] _publicKeys = null!;
    private byte[][] _signatures = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = Sm2PrivateKey.Generate();
        _publicKey = _key.PublicKey.ToBytes();
        _verifier = new Sm2Verifier();
        _message = new byte[256];
        Random.Shared.NextBytes(_message);
        _signature = _key.Sign(_message);
        _messages = Enumerable.Range(0, ParallelBatch).Select(_ => { var m = new byte[256]; Random.Shared.NextBytes(m); return m; }).ToArray();
        var signers = Enumerable.Range(0, 16).Select(_ => Sm2PrivateKey.Generate()).ToArray();
        _signatures = _messages.Select((m, i) => signers[i % signers.Length].Sign(m)).ToArray();
        _publicKeys = _messages.Select((_, i) => signers[i % signers.Length].PublicKey.ToBytes()).ToArray();
        foreach (var signer in signers) signer.Dispose();
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Description = "SM2 sign")]
    public byte[] Sign() => _key.Sign(_message);

    [Benchmark(Description = "SM2 verify")]
    public bool Verify() => _verifier.Verify(_publicKey, _message, _signature, default);

    [Benchmark(Description = "SM2 verify, parallel", OperationsPerInvoke = ParallelBatch)]
    public int VerifyParallel()
    {
        var valid = 0;
        Parallel.For(0, ParallelBatch, i =>
        {
            if (_verifier.Verify(_publicKeys[i], _messages[i], _signatures[i], default)) Interlocked.Increment(ref valid);
        });
        if (valid != ParallelBatch) throw new InvalidOperationException("a benchmark signature did not verify");
        return valid;
    }
}
