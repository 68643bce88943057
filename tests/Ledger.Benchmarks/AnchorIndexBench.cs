using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Ledger.Crypto;
using Ledger.Storage;

namespace Ledger.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/Ledger.Benchmarks -- anchor-index [--anchors N,N,…] [--lookups K]`: the time to
/// find the recorded external anchor nearest above a height in a LiteDB store holding N anchors (one every 100 blocks), by
/// the block store's anchor index (<see cref="BlockStore.AnchorRecords"/>) against the way it was found before, in the same
/// run: a scan of every recorded anchor in the state (0x21), keeping the first at or above the height. The old way then also
/// searched up to 1,024 blocks for the anchor's record tx; that part is not counted, so the baseline is the cheaper one.
/// </summary>
internal static class AnchorIndexBench
{
    private const ulong Spacing = 100;

    public static int Run(string[] args)
    {
        var counts = Option(args, "--anchors")?.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() ?? [1_000, 10_000, 100_000];
        var lookups = int.Parse(Option(args, "--lookups") ?? "200", CultureInfo.InvariantCulture);
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"LiteDB store, one anchor every {Spacing} blocks, {lookups} lookups at random heights per row");
        Console.WriteLine();
        Console.WriteLine("| anchors recorded | index lookup (µs) | scan of every anchor (µs, before) | scan / index |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var count in counts)
        {
            var directory = Directory.CreateTempSubdirectory("ledger-anchor-index-");
            try
            {
                using var kv = new LiteDbKeyValueStore(Path.Combine(directory.FullName, "ledger.db"));
                Fill(kv, count);
                var store = new BlockStore(kv, Sm3Hasher.Instance);
                var random = new Random(17);
                var heights = Enumerable.Range(0, lookups).Select(_ => (ulong)random.NextInt64(1, (long)((ulong)count * Spacing))).ToArray();
                // Both answer the same, or the figure means nothing.
                foreach (var h in heights.Take(20))
                    if (Indexed(store, h) != Scanned(store, h)) throw new InvalidOperationException($"the two lookups disagree at height {h}");
                var indexUs = Time(heights, h => Indexed(store, h));
                var scanUs = Time(heights.Take(Math.Max(5, lookups / 20)).ToArray(), h => Scanned(store, h));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {count:N0} | {indexUs:0.0} | {scanUs:0.0} | {scanUs / indexUs:0} |"));
            }
            finally
            {
                directory.Delete(recursive: true);
            }
        }
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>The state records (as the chaincode writes them, ~200-byte payloads) and the index entries of <paramref name="count"/> anchors.</summary>
    private static void Fill(IKeyValueStore kv, int count)
    {
        var contract = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        for (var start = 0; start < count; start += 10_000)
        {
            var batch = new WriteBatch();
            for (var i = start; i < Math.Min(count, start + 10_000); i++)
            {
                var checkpoint = (ulong)(i + 1) * Spacing;
                var state = new byte[1 + 1 + 8 + 8 + 20];
                state[0] = BlockStoreKeys.State;
                state[1] = Ledger.Chaincode.State.StateKeys.ExternalAnchorPrefix;
                BinaryPrimitives.WriteUInt64BigEndian(state.AsSpan(2), checkpoint);
                BinaryPrimitives.WriteUInt64BigEndian(state.AsSpan(10), 1337);
                contract.CopyTo(state, 18);
                batch.Put(state, new byte[200]);
                var value = new byte[64];
                Sm3.Hash(BitConverter.GetBytes(i)).CopyTo(value);
                batch.Put(BlockStoreKeys.ForAnchorRecord(checkpoint, 1337, contract), value);
            }
            kv.Write(batch);
        }
    }

    private static ulong? Indexed(BlockStore store, ulong height) =>
        store.AnchorRecords(height, height + Ledger.Core.Evidence.AnchorProofJson.MaxHeaders).Select(e => (ulong?)e.Checkpoint).FirstOrDefault();

    private static ulong? Scanned(BlockStore store, ulong height)
    {
        foreach (var (key, _) in store.ScanState([Ledger.Chaincode.State.StateKeys.ExternalAnchorPrefix]))
        {
            var checkpoint = BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1, 8));
            if (checkpoint < height) continue;
            return checkpoint - height > Ledger.Core.Evidence.AnchorProofJson.MaxHeaders ? null : checkpoint;
        }
        return null;
    }

    private static double Time(ulong[] heights, Func<ulong, ulong?> lookup)
    {
        lookup(heights[0]);
        var clock = Stopwatch.StartNew();
        foreach (var h in heights) lookup(h);
        return clock.Elapsed.TotalMicroseconds / heights.Length;
    }
}
