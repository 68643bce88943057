using System.Globalization;
using System.Text;
using System.Text.Json;
using Ledger.Core;

namespace Ledger.Signer.Audit;

/// <summary>
/// The signer's append-only, hash-chained audit log: one JSON line per <see cref="AuditRecord"/>, each naming its
/// predecessor's hash, fsynced before the call that caused it answers. <see cref="Verify(string, ulong?)"/> recomputes the
/// chain and names the first record that does not check, so an edited, deleted, inserted or reordered record is
/// found; deleting records at the end is found against the running head (or the anchored one).
/// Opening a log that does not verify fails with <see cref="ErrorCode.AuditLogTampered"/>: the service does not
/// append to a broken chain.
/// </summary>
public sealed class AuditLog : IDisposable
{
    private const int MaxLineBytes = 4096;
    private readonly object _gate = new();
    private readonly FileStream _stream;
    private readonly TimeProvider _clock;

    private AuditLog(string path, FileStream stream, TimeProvider clock, ulong headSequence, Hash32 headHash)
    {
        Path = path;
        _stream = stream;
        _clock = clock;
        HeadSequence = headSequence;
        HeadHash = headHash;
    }

    public string Path { get; }

    public ulong HeadSequence { get; private set; }

    public Hash32 HeadHash { get; private set; }

    public static AuditLog Open(string path, TimeProvider clock)
    {
        var check = File.Exists(path) ? Verify(path) : new AuditChainCheck(true, 0, AuditRecord.GenesisPrev, 0, "");
        if (!check.Intact)
            throw new LedgerException(ErrorCode.AuditLogTampered, $"audit log {path}: {check.Reason}");
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new AuditLog(path, new FileStream(path, options), clock, check.HeadSequence, check.HeadHash);
    }

    public AuditRecord Append(AuditEventKind kind, Hash32? holderKeyId, Hash32? statementHash, byte[]? challengeId, string client, ErrorCode code,
        Access.Operator? byOperator = null)
    {
        lock (_gate)
        {
            var record = new AuditRecord(HeadSequence + 1, _clock.GetUtcNow().ToUnixTimeMilliseconds(), holderKeyId, kind, statementHash,
                challengeId ?? [], Truncate(client), code, HeadHash, byOperator?.CertificateId, byOperator is null ? null : Truncate(byOperator.Subject));
            var line = Encoding.UTF8.GetBytes(ToLine(record) + "\n");
            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
            HeadSequence = record.Sequence;
            HeadHash = record.Hash;
            return record;
        }
    }

    /// <summary>Records from the file as it is on disk now, from <paramref name="fromSequence"/>, at most <paramref name="limit"/>, filtered.</summary>
    public IReadOnlyList<AuditRecord> Read(ulong fromSequence, int limit, Func<AuditRecord, bool>? filter = null)
    {
        var result = new List<AuditRecord>();
        foreach (var line in ReadLines(Path))
        {
            if (result.Count >= limit) break;
            AuditRecord record;
            try
            {
                record = FromLine(line);
            }
            catch (LedgerException)
            {
                continue; // Verify names it; a listing shows what can be read
            }
            if (record.Sequence < fromSequence) continue;
            if (filter is null || filter(record)) result.Add(record);
        }
        return result;
    }

    /// <summary>Recomputes the whole chain of the file; with <paramref name="expectedHead"/>, records missing at the end are found too.</summary>
    public static AuditChainCheck Verify(string path, ulong? expectedHead = null)
    {
        var prev = AuditRecord.GenesisPrev;
        ulong sequence = 0;
        foreach (var line in ReadLines(path))
        {
            var expected = sequence + 1;
            AuditRecord record;
            Hash32 claimed;
            try
            {
                (record, claimed) = Parse(line);
            }
            catch (LedgerException e)
            {
                return Broken(sequence, prev, expected, $"record {expected} does not parse: {e.Message}");
            }
            if (record.Sequence != expected)
                return Broken(sequence, prev, expected, $"record {expected} is missing or out of order (found sequence {record.Sequence})");
            if (record.Prev != prev)
                return Broken(sequence, prev, expected, $"record {expected} does not chain to record {sequence} (a record before it was removed, inserted or reordered)");
            if (record.Hash != claimed)
                return Broken(sequence, prev, expected, $"record {expected} was altered (its content does not hash to its stored hash)");
            prev = record.Hash;
            sequence = record.Sequence;
        }
        if (expectedHead is { } head && sequence < head)
            return Broken(sequence, prev, sequence + 1, $"records {sequence + 1}..{head} were removed from the end of the log");
        return new AuditChainCheck(true, sequence, prev, 0, "");
    }

    public AuditChainCheck Verify() => Verify(Path, HeadSequence);

    public void Dispose() => _stream.Dispose();

    private static AuditChainCheck Broken(ulong sequence, Hash32 prev, ulong bad, string reason) => new(false, sequence, prev, bad, reason);

    private static string Truncate(string client) => client.Length <= 256 ? client : client[..256];

    private static IEnumerable<string> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            yield return line;
        }
    }

    internal static string ToLine(AuditRecord r)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", r.Sequence);
            json.WriteNumber("time", r.Time);
            json.WriteString("holder", r.HolderKeyId?.ToHex() ?? "");
            json.WriteString("kind", r.Kind.ToString());
            json.WriteString("statement", r.StatementHash?.ToHex() ?? "");
            json.WriteString("challenge", Convert.ToHexStringLower(r.ChallengeId));
            json.WriteString("client", r.Client);
            json.WriteNumber("code", (int)r.Code);
            if (r.OperatorCertificateId is { } op) json.WriteString("operator", op.ToHex());
            if (r.OperatorSubject is { Length: > 0 } subject) json.WriteString("operatorSubject", subject);
            json.WriteString("prev", r.Prev.ToHex());
            json.WriteString("hash", r.Hash.ToHex());
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static AuditRecord FromLine(string line) => Parse(line).Record;

    private static (AuditRecord Record, Hash32 Claimed) Parse(string line)
    {
        if (Encoding.UTF8.GetByteCount(line) > MaxLineBytes) throw Bad("line too long");
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Hash32? OptionalHash(string name) => root.GetProperty(name).GetString() is { Length: > 0 } hex ? Hash32.Parse(hex) : null;
            var kindName = root.GetProperty("kind").GetString();
            if (!Enum.TryParse<AuditEventKind>(kindName, out var kind) || !Enum.IsDefined(kind)) throw Bad($"unknown kind '{kindName}'");
            var code = (ErrorCode)root.GetProperty("code").GetInt32();
            var record = new AuditRecord(
                root.GetProperty("seq").GetUInt64(),
                root.GetProperty("time").GetInt64(),
                OptionalHash("holder"),
                kind,
                OptionalHash("statement"),
                Convert.FromHexString(root.GetProperty("challenge").GetString() ?? ""),
                root.GetProperty("client").GetString() ?? "",
                code,
                Hash32.Parse(root.GetProperty("prev").GetString() ?? ""),
                root.TryGetProperty("operator", out var op) && op.GetString() is { Length: > 0 } opHex ? Hash32.Parse(opHex) : null,
                root.TryGetProperty("operatorSubject", out var subject) ? subject.GetString() : null);
            return (record, Hash32.Parse(root.GetProperty("hash").GetString() ?? ""));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw Bad(e.Message);
        }
    }

    private static LedgerException Bad(string why) => new(ErrorCode.AuditLogTampered, why.ToString(CultureInfo.InvariantCulture));
}
