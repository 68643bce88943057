using System.Buffers.Binary;
using Ledger.Core;
using Ledger.Core.Crypto;
using Ledger.Core.Transactions;

namespace Ledger.Storage;

/// <summary>
/// The stored form of a block's txs (issue 18): a tx's endorsement certificates — about 70 % of its bytes, and the same few
/// employers' certificates in tx after tx — are cut out of the envelope bytes and kept once, under 'x' ‖ SM3(DER)
/// (<see cref="BlockStoreKeys.ForCertificate"/>). What is cut is recorded by offset, so putting the certificates back gives
/// the envelope byte for byte as admitted: tx ids, tx roots and proofs never see the stored form, and nothing is re-encoded.
/// <para>
/// Compact form: 0xFF ‖ 0x01 ‖ count(u16) ‖ count × (offset in the envelope(u32) ‖ SM3 of the certificate(32)) ‖ the envelope
/// with those certificates removed. An envelope never starts with 0xFF (not a protobuf tag), so a stored tx that does not is
/// the envelope itself: blocks stored before this form existed read as they are.
/// </para>
/// </summary>
public static class StoredTransactions
{
    public const byte CompactMarker = 0xFF;
    public const byte CompactVersion = 0x01;

    private const int HeaderBytes = 4;
    private const int EntryBytes = 4 + Hash32.Size;

    /// <summary>Shorter certificates are left inline: a reference costs 36 bytes.</summary>
    private const int MinimumCertificateBytes = 128;

    /// <summary>
    /// The stored form of <paramref name="envelope"/>, adding the certificates it cut out to <paramref name="certificates"/>
    /// (id → DER). An envelope that does not decode, or carries no certificate, is stored as it is.
    /// </summary>
    public static ReadOnlyMemory<byte> Compact(ReadOnlyMemory<byte> envelope, IHasher hasher, IDictionary<Hash32, ReadOnlyMemory<byte>> certificates)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(certificates);
        if (envelope.IsEmpty || envelope.Span[0] == CompactMarker) return envelope;
        TxEnvelope decoded;
        try
        {
            decoded = TxEnvelope.Decode(envelope.Span);
        }
        catch (LedgerException)
        {
            return envelope;
        }
        var bytes = envelope.Span;
        var cuts = new List<(int Offset, int Length, Hash32 Id, ReadOnlyMemory<byte> Der)>();
        foreach (var (id, der) in decoded.Endorsements.Select(e => e.Certificate).Where(c => c.Length >= MinimumCertificateBytes)
                     .Select(c => (Id: hasher.Hash(c.Span), Der: c)).DistinctBy(c => c.Id))
        {
            // Every occurrence (an employer signs the body and the statement with one certificate).
            for (var from = 0; from < bytes.Length;)
            {
                var at = bytes[from..].IndexOf(der.Span);
                if (at < 0) break;
                cuts.Add((from + at, der.Length, id, der));
                from += at + der.Length;
            }
        }
        if (cuts.Count == 0 || cuts.Count > ushort.MaxValue) return envelope;
        cuts.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        for (var i = 1; i < cuts.Count; i++)
        {
            if (cuts[i].Offset < cuts[i - 1].Offset + cuts[i - 1].Length) return envelope; // overlapping: leave it whole
        }

        var removed = cuts.Sum(c => c.Length);
        var compact = new byte[HeaderBytes + cuts.Count * EntryBytes + bytes.Length - removed];
        compact[0] = CompactMarker;
        compact[1] = CompactVersion;
        BinaryPrimitives.WriteUInt16BigEndian(compact.AsSpan(2), (ushort)cuts.Count);
        var entry = HeaderBytes;
        var rest = HeaderBytes + cuts.Count * EntryBytes;
        var copied = 0;
        foreach (var cut in cuts)
        {
            BinaryPrimitives.WriteUInt32BigEndian(compact.AsSpan(entry), (uint)cut.Offset);
            cut.Id.CopyTo(compact.AsSpan(entry + 4));
            entry += EntryBytes;
            bytes[copied..cut.Offset].CopyTo(compact.AsSpan(rest));
            rest += cut.Offset - copied;
            copied = cut.Offset + cut.Length;
        }
        bytes[copied..].CopyTo(compact.AsSpan(rest));

        var local = cuts.DistinctBy(c => c.Id).ToDictionary(c => c.Id, c => c.Der);
        // By construction the expansion is the envelope; checked anyway, since a stored tx that read back different would be
        // a ledger that proves something else.
        if (!Expand(compact, id => local.TryGetValue(id, out var der) ? der.ToArray() : null).Span.SequenceEqual(bytes)) return envelope;
        foreach (var (id, der) in local) certificates[id] = der;
        return compact;
    }

    /// <summary>True when <paramref name="stored"/> is in compact form (certificates to put back).</summary>
    public static bool IsCompact(ReadOnlySpan<byte> stored) => stored.Length >= HeaderBytes && stored[0] == CompactMarker;

    /// <summary>The envelope a stored tx stands for; <paramref name="certificate"/> finds a certificate by its SM3.</summary>
    public static ReadOnlyMemory<byte> Expand(ReadOnlyMemory<byte> stored, Func<Hash32, byte[]?> certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var span = stored.Span;
        if (!IsCompact(span)) return stored;
        if (span[1] != CompactVersion)
            throw new LedgerException(StorageErrors.Corrupt, $"a stored tx in compact form version {span[1]}; this store reads version {CompactVersion}");
        var count = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        var rest = HeaderBytes + count * EntryBytes;
        if (rest > span.Length) throw new LedgerException(StorageErrors.Corrupt, "a stored tx in compact form is truncated");
        var parts = new List<byte[]>(count);
        var total = span.Length - rest;
        for (var i = 0; i < count; i++)
        {
            var id = new Hash32(span.Slice(HeaderBytes + i * EntryBytes + 4, Hash32.Size));
            var der = certificate(id) ?? throw new LedgerException(StorageErrors.Corrupt, $"the certificate {id} of a stored tx is missing");
            parts.Add(der);
            total += der.Length;
        }
        var envelope = new byte[total];
        var written = 0;
        var source = rest;
        for (var i = 0; i < count; i++)
        {
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(span[(HeaderBytes + i * EntryBytes)..]);
            var gap = offset - written;
            if (gap < 0 || source + gap > span.Length) throw new LedgerException(StorageErrors.Corrupt, "a stored tx in compact form has offsets out of order");
            span.Slice(source, gap).CopyTo(envelope.AsSpan(written));
            source += gap;
            written += gap;
            parts[i].CopyTo(envelope, written);
            written += parts[i].Length;
        }
        if (total - written != span.Length - source) throw new LedgerException(StorageErrors.Corrupt, "a stored tx in compact form does not add up");
        span[source..].CopyTo(envelope.AsSpan(written));
        return envelope;
    }
}
