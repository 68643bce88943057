using Ledger.Crypto;
using Ledger.Storage;
using Ledger.Storage.CrashWriter;

// Usage: Ledger.Storage.CrashWriter DBFILE [CHECKPOINT_PAGES] [CHUNK_BYTES]
//        Ledger.Storage.CrashWriter blocks litedb|rocksdb PATH [CHECKPOINT_PAGES]
// Opens the store, continues after the last batch (or block) it holds, and writes until killed, printing "committed N"
// after each write returns: a line the parent reads is a batch (a block) the store acknowledged.
var stdout = Console.Out;
if (args.Length is 3 or 4 && args[0] == "blocks")
{
    using var kv = CrashBlocks.Open(args[1], args[2], args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1000);
    var store = new BlockStore(kv, Sm3Hasher.Instance);
    var height = store.Head is { } head ? head.Height + 1 : 0;
    await stdout.WriteLineAsync($"opened {(long)height - 1}");
    await stdout.FlushAsync();
    while (true)
    {
        CrashBlocks.Commit(store, height);
        await stdout.WriteLineAsync($"committed {height}");
        await stdout.FlushAsync();
        height++;
    }
}
if (args.Length is < 1 or > 3)
{
    await Console.Error.WriteLineAsync("usage: Ledger.Storage.CrashWriter DBFILE [CHECKPOINT_PAGES] [CHUNK_BYTES] | blocks litedb|rocksdb PATH [CHECKPOINT_PAGES]");
    return 2;
}
var options = new LiteDbStoreOptions(args[0])
{
    CheckpointPages = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000,
    ChunkBytes = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4 * 1024 * 1024,
};
using var batches = new LiteDbKeyValueStore(options);
var next = CrashBatch.Last(batches.Get(CrashBatch.LastKey)) + 1;
await stdout.WriteLineAsync($"opened {next - 1}");
await stdout.FlushAsync();
while (true)
{
    batches.Write(CrashBatch.Build(next));
    await stdout.WriteLineAsync($"committed {next}");
    await stdout.FlushAsync();
    next++;
}
