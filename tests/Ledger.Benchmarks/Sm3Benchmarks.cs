using BenchmarkDotNet.Attributes;
using Ledger.Core;
using Ledger.Crypto;

namespace Ledger.Benchmarks;

public class Sm3Benchmarks
{
    public const int InputSize = 1 << 20;

    private byte[] _input = null!;

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[InputSize];
        Random.Shared.NextBytes(_input);
    }

    [Benchmark(Description = "SM3 1 MiB")]
    public Hash32 Hash() => Sm3.Hash(_input);
}
