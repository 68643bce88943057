using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Ledger.Storage.Tests.Crash;

/// <summary>
/// One run of the crash writer (tests/Ledger.Storage.CrashWriter), killed with SIGKILL: what it said before it died — the
/// height or batch it opened the store at ("opened N") and each one whose write had returned ("committed N").
/// </summary>
internal sealed record CrashWriterRun(long? Opened, IReadOnlyList<long> Committed, bool ExitedByItself, string StdErr)
{
    /// <summary>
    /// Starts the writer with <paramref name="arguments"/>; once it printed a line starting with <paramref name="readyPrefix"/>
    /// (when given; at most <paramref name="readyTimeout"/>), lets it run <paramref name="delay"/> more — the seeded moment of
    /// the fault — and kills it, unless it stopped by itself.
    /// </summary>
    public static async Task<CrashWriterRun> KillAsync(IEnumerable<string> arguments, string? readyPrefix, TimeSpan readyTimeout, TimeSpan delay)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(WriterPath());
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the crash writer");
        var lines = new ConcurrentQueue<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Enqueue(line);
                if (readyPrefix is not null && line.StartsWith(readyPrefix, StringComparison.Ordinal)) ready.TrySetResult();
            }
            ready.TrySetResult();
        });
        var stderr = process.StandardError.ReadToEndAsync();
        if (readyPrefix is not null) await ready.Task.WaitAsync(readyTimeout);
        await Task.Delay(delay); // the fault's seeded moment, not a wait for a condition
        var exitedByItself = process.HasExited;
        if (!exitedByItself) process.Kill(); // SIGKILL on Linux: no finalizers, no Dispose, no flush
        await process.WaitForExitAsync();
        await stdout; // every line the writer printed before it died: each is a write that had returned

        long? opened = null;
        var committed = new List<long>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            if (parts is ["opened", var o]) opened = long.Parse(o, CultureInfo.InvariantCulture);
            else if (parts is ["committed", var c]) committed.Add(long.Parse(c, CultureInfo.InvariantCulture));
        }
        return new CrashWriterRun(opened, committed, exitedByItself, await stderr);
    }

    /// <summary>The CrashWriter built in this test assembly's configuration (the test project references it, so it is built first).</summary>
    private static string WriterPath()
    {
        var configuration = typeof(CrashWriterRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "Ledger.sln not found above the test directory");
        var path = Path.Combine(dir!.FullName, "tests", "Ledger.Storage.CrashWriter", "bin", configuration, "net10.0", "Ledger.Storage.CrashWriter.dll");
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: build tests/Ledger.Storage.CrashWriter -c {configuration}");
        return path;
    }
}
