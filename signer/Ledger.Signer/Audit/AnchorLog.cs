using System.Globalization;
using System.Text;
using Ledger.Core;

namespace Ledger.Signer.Audit;

/// <summary>
/// The anchors this signer made, one line each (<c>sequence head-hash tx-id height</c>) in <c>DATA/anchors.log</c>:
/// which txs to read back from the ledger when the log is checked. It is a pointer, not evidence: what counts is
/// the committed tx.
/// </summary>
public sealed class AnchorLog(string path)
{
    public sealed record Entry(ulong Sequence, Hash32 HeadHash, Hash32 TxId, ulong Height);

    private readonly object _gate = new();

    public Entry? Latest()
    {
        lock (_gate)
        {
            if (!File.Exists(path)) return null;
            Entry? latest = null;
            foreach (var line in File.ReadAllLines(path))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4
                    || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                    || !Hash32.TryParse(parts[1], out var head) || !Hash32.TryParse(parts[2], out var tx)
                    || !ulong.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var height))
                    continue;
                if (latest is null || sequence > latest.Sequence) latest = new Entry(sequence, head, tx, height);
            }
            return latest;
        }
    }

    public void Add(Entry entry)
    {
        lock (_gate)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{entry.Sequence} {entry.HeadHash} {entry.TxId} {entry.Height}\n")));
            stream.Flush(flushToDisk: true);
        }
    }
}
