using Ledger.Consensus.Messages;

namespace Ledger.Consensus.Wal;

/// <summary>
/// What this validator has signed, rebuilt from the WAL on start: the message per (height, round, type) and the highest
/// prepared certificate per height. The engine asks it before signing anything, so it re-sends the same message rather
/// than sign a different one (CometBFT's double-sign protection, kept across restarts).
/// </summary>
internal sealed class SigningGuard
{
    private readonly Dictionary<(ulong Height, uint Round, MessageType Type), SignedMessage> _signed = [];
    private readonly Dictionary<ulong, PreparedCertificate> _prepared = [];

    public static SigningGuard FromWal(IEnumerable<WalRecord> records)
    {
        var guard = new SigningGuard();
        foreach (var record in records)
        {
            if (record.Kind == WalRecordKind.OwnMessage && record.Message is { } message) guard.Record(message);
            else if (record.Kind == WalRecordKind.Prepared && record.Prepared is { } prepared) guard.RecordPrepared(record.Height, prepared);
        }
        return guard;
    }

    public SignedMessage? Existing(ulong height, uint round, MessageType type) => _signed.GetValueOrDefault((height, round, type));

    public void Record(SignedMessage message) => _signed.TryAdd((message.Height, message.Round, message.Type), message);

    public void RecordPrepared(ulong height, PreparedCertificate prepared)
    {
        if (!_prepared.TryGetValue(height, out var known) || prepared.Round > known.Round) _prepared[height] = prepared;
    }

    public PreparedCertificate? PreparedAt(ulong height) => _prepared.GetValueOrDefault(height);

    /// <summary>The highest round this validator signed anything in at the height: where a restart resumes.</summary>
    public uint? HighestRoundAt(ulong height)
    {
        uint? highest = null;
        foreach (var key in _signed.Keys)
            if (key.Height == height && (highest is null || key.Round > highest)) highest = key.Round;
        return highest;
    }

    /// <summary>What was signed in a round, in protocol order (a proposal before its prepare before its commit).</summary>
    public IEnumerable<SignedMessage> SignedIn(ulong height, uint round) =>
        _signed.Where(kv => kv.Key.Height == height && kv.Key.Round == round).OrderBy(kv => kv.Key.Type).Select(kv => kv.Value);

    public void ForgetBelow(ulong height)
    {
        foreach (var key in _signed.Keys.Where(k => k.Height < height).ToList()) _signed.Remove(key);
        foreach (var h in _prepared.Keys.Where(h => h < height).ToList()) _prepared.Remove(h);
    }
}
