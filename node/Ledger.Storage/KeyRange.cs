namespace Ledger.Storage;

/// <summary>Byte-order helpers for prefix scans.</summary>
internal static class KeyRange
{
    /// <summary>
    /// Negative if <paramref name="key"/> sorts before every key with the prefix, zero if it has the prefix,
    /// positive if it sorts after all of them.
    /// </summary>
    public static int CompareToPrefix(ReadOnlySpan<byte> key, ReadOnlySpan<byte> prefix)
    {
        if (key.StartsWith(prefix)) return 0;
        return key.SequenceCompareTo(prefix);
    }

    /// <summary>
    /// The smallest key greater than every key with the prefix (exclusive upper bound), or null when there is
    /// none (the prefix is empty or all 0xFF).
    /// </summary>
    public static byte[]? UpperBound(ReadOnlySpan<byte> prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] == 0xFF) continue;
            var bound = prefix[..(i + 1)].ToArray();
            bound[i]++;
            return bound;
        }
        return null;
    }

    public static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result);
        second.CopyTo(result.AsSpan(first.Length));
        return result;
    }
}
