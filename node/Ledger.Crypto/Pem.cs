using System.Text;
using Ledger.Core;

namespace Ledger.Crypto;

/// <summary>RFC 7468 textual encoding: 64-column base64 between BEGIN/END lines.</summary>
internal static class Pem
{
    public static string Encode(string label, ReadOnlySpan<byte> der)
    {
        var base64 = Convert.ToBase64String(der);
        var text = new StringBuilder();
        text.Append("-----BEGIN ").Append(label).Append("-----\n");
        for (var i = 0; i < base64.Length; i += 64)
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        text.Append("-----END ").Append(label).Append("-----\n");
        return text.ToString();
    }

    /// <summary>Finds the first block whose label is one of <paramref name="labels"/>; anything malformed is a <see cref="LedgerException"/> with <paramref name="code"/>.</summary>
    public static (string Label, byte[] Der) Decode(string? text, ErrorCode code, params string[] labels)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new LedgerException(code, "PEM text is empty");
        foreach (var label in labels)
        {
            var begin = $"-----BEGIN {label}-----";
            var start = text.IndexOf(begin, StringComparison.Ordinal);
            if (start < 0) continue;
            var end = text.IndexOf($"-----END {label}-----", start, StringComparison.Ordinal);
            if (end < 0)
                throw new LedgerException(code, $"PEM block '{label}' has no END line");
            var body = text.AsSpan(start + begin.Length, end - start - begin.Length);
            var compact = new StringBuilder(body.Length);
            foreach (var c in body)
            {
                if (c is ' ' or '\t' or '\r' or '\n') continue;
                compact.Append(c);
            }
            try
            {
                var der = Convert.FromBase64String(compact.ToString());
                if (der.Length == 0) throw new LedgerException(code, $"PEM block '{label}' is empty");
                return (label, der);
            }
            catch (FormatException)
            {
                throw new LedgerException(code, $"PEM block '{label}' is not valid base64");
            }
        }
        throw new LedgerException(code, $"no PEM block labelled {string.Join(" or ", labels)} found");
    }
}
