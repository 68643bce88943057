using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Benchmarks;

/// <summary>The machine's own `openssl speed` figures, the baseline our numbers are compared against.</summary>
public static partial class OpenSslSpeed
{
    public const string Path = "/usr/bin/openssl";

    public sealed record Sm2Rates(double SignPerSecond, double VerifyPerSecond);

    /// <summary>`openssl speed -seconds N [-multi K] sm2`: the sign/s and verify/s columns of the SM2 row.</summary>
    public static Sm2Rates? Sm2(int seconds, int processes)
    {
        string[] arguments = processes > 1
            ? ["speed", "-seconds", Seconds(seconds), "-multi", processes.ToString(CultureInfo.InvariantCulture), "sm2"]
            : ["speed", "-seconds", Seconds(seconds), "sm2"];
        var output = Run(arguments);
        if (output is null) return null;
        var match = Sm2Row().Match(output);
        return match.Success
            ? new Sm2Rates(double.Parse(match.Groups["sign"].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups["verify"].Value, CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>`openssl speed -seconds N -bytes 1048576 -evp sm3`, in MB/s (10^6 bytes; openssl prints 1000s of bytes per second).</summary>
    public static double? Sm3MegabytesPerSecond(int seconds, int bytes)
    {
        var output = Run(["speed", "-seconds", Seconds(seconds), "-bytes", bytes.ToString(CultureInfo.InvariantCulture), "-evp", "sm3"]);
        if (output is null) return null;
        var match = Sm3Row().Match(output);
        return match.Success ? double.Parse(match.Groups["k"].Value, CultureInfo.InvariantCulture) / 1000 : null;
    }

    private static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    private static string? Run(string[] arguments)
    {
        if (!File.Exists(Path)) return null;
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        return process.ExitCode == 0 ? stdout : null;
    }

    [GeneratedRegex(@"SM2 \(CurveSM2\)\s+\S+s\s+\S+s\s+(?<sign>[0-9.]+)\s+(?<verify>[0-9.]+)")]
    private static partial Regex Sm2Row();

    [GeneratedRegex(@"^sm3\s+(?<k>[0-9.]+)k", RegexOptions.Multiline)]
    private static partial Regex Sm3Row();
}
