using Ledger.Storage;
using Ledger.Storage.CrashWriter;

// Usage: Ledger.Storage.CrashWriter DBFILE [CHECKPOINT_PAGES] [CHUNK_BYTES]
// Opens the store, continues after the last batch it holds, and writes batches until killed, printing
// "committed N" after each Write returns: a line the parent reads is a batch the store acknowledged.
if (args.Length is < 1 or > 3)
{
    await Console.Error.WriteLineAsync("usage: Ledger.Storage.CrashWriter DBFILE [CHECKPOINT_PAGES] [CHUNK_BYTES]");
    return 2;
}
var options = new LiteDbStoreOptions(args[0])
{
    CheckpointPages = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000,
    ChunkBytes = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4 * 1024 * 1024,
};
using var store = new LiteDbKeyValueStore(options);
var next = CrashBatch.Last(store.Get(CrashBatch.LastKey)) + 1;
var stdout = Console.Out;
await stdout.WriteLineAsync($"opened {next - 1}");
await stdout.FlushAsync();
while (true)
{
    store.Write(CrashBatch.Build(next));
    await stdout.WriteLineAsync($"committed {next}");
    await stdout.FlushAsync();
    next++;
}
