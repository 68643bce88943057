using Ledger.TestKit;

namespace Ledger.Reports.Tests;

/// <summary>Debian's poppler-utils (pdftotext, pdffonts, pdftoppm): PDF tools nobody here wrote.</summary>
internal static class Poppler
{
    public static void Require()
    {
        if (!File.Exists("/usr/bin/pdftoppm")) Assert.Ignore("poppler-utils is not installed (scripts/test.sh installs it)");
    }

    public static string Run(string tool, string directory, IDictionary<string, string>? environment = null, params string[] arguments)
    {
        var outcome = ProcessRunner.Run($"/usr/bin/{tool}", arguments, directory, environment: environment);
        Assert.That(outcome.ExitCode, Is.Zero, $"{tool}: {outcome.StdErr}");
        return outcome.StdOut;
    }
}
