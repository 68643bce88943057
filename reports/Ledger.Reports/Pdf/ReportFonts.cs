using Ledger.Core;
using PdfSharp.Fonts;

namespace Ledger.Reports.Pdf;

/// <summary>
/// The fonts a report embeds (as subsets, so the PDF renders the same on a machine without them): DejaVu Sans for
/// Latin text and digits, DejaVu Sans Mono for hashes, Droid Sans Fallback for Chinese — TrueType outlines, which
/// PDFsharp embeds, from Debian's fonts-dejavu-core and fonts-droid-fallback. LEDGER_REPORT_FONTS names another
/// folder holding the same files.
/// </summary>
internal sealed class ReportFonts : IFontResolver
{
    public const string Latin = "LedgerLatin";
    public const string Mono = "LedgerMono";
    public const string Cjk = "LedgerCjk";

    private static readonly (string Face, string File)[] Faces =
    [
        (Latin, "DejaVuSans.ttf"), (Latin + "-Bold", "DejaVuSans-Bold.ttf"), (Mono, "DejaVuSansMono.ttf"), (Cjk, "DroidSansFallbackFull.ttf"),
    ];

    private static readonly string[] SearchPath = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/droid"];
    private static readonly Lock Gate = new();
    private static ReportFonts? _installed;

    private readonly Dictionary<string, byte[]> _bytes;

    private ReportFonts(Dictionary<string, byte[]> bytes) => _bytes = bytes;

    /// <summary>Makes the fonts PDFsharp's resolver (once per process); a missing file is a typed error naming the package.</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (_installed is not null) return;
            var folders = new List<string>();
            var custom = Environment.GetEnvironmentVariable("LEDGER_REPORT_FONTS");
            if (!string.IsNullOrEmpty(custom)) folders.Add(custom);
            folders.AddRange(SearchPath);
            var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (face, file) in Faces)
            {
                var path = folders.Select(f => Path.Combine(f, file)).FirstOrDefault(File.Exists)
                    ?? throw new LedgerException(ErrorCode.ReportFontMissing,
                        $"font {file} not found in {string.Join(", ", folders)} (install fonts-dejavu-core and fonts-droid-fallback, or set LEDGER_REPORT_FONTS)");
                bytes[face] = File.ReadAllBytes(path);
            }
            _installed = new ReportFonts(bytes);
            GlobalFontSettings.FontResolver = _installed;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => familyName switch
    {
        Latin => new FontResolverInfo(bold ? Latin + "-Bold" : Latin),
        Mono => new FontResolverInfo(Mono),
        // Droid Sans Fallback has one weight: bold Chinese is simulated.
        Cjk => new FontResolverInfo(Cjk, mustSimulateBold: bold, mustSimulateItalic: false),
        _ => null,
    };

    public byte[]? GetFont(string faceName) => _bytes.GetValueOrDefault(faceName);
}
