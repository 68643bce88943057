using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Ledger.Benchmarks;

// `dotnet run -c Release --project tests/Ledger.Benchmarks -- crypto`: a short in-process run of the crypto
// benchmarks and the machine's openssl baseline, printed as one markdown table. Any other arguments go to
// BenchmarkDotNet's own switcher (full-length jobs).
if (args.Length > 0 && args[0] == "crypto")
    return CryptoReport.Run();
if (args.Length > 0 && args[0] == "journal")
    return await JournalBench.RunAsync(args);
if (args.Length > 0 && args[0] == "anchor")
    return await AnchorBench.RunAsync(args);
if (args.Length > 0 && args[0] == "state")
    return StateBench.Run(args);
if (args.Length > 0 && args[0] == "analytics")
    return await AnalyticsBench.RunAsync(args);
if (args.Length > 0 && args[0] == "store")
    return await Ledger.Benchmarks.Store.StoreBench.RunAsync(args);
if (args.Length > 0 && args[0] == "statesync")
    return await Ledger.Benchmarks.Store.StoreBench.RunStateSyncAsync(args);
if (args.Length > 0 && args[0] == "store-verify")
    return Ledger.Benchmarks.Store.StoreBench.VerifyStores(args);
if (args.Length > 0 && args[0] == "store-open")
    return Ledger.Benchmarks.Store.StoreBench.OpenNode(args);
if (args.Length > 0 && args[0] == "signer")
    return await SignerBench.RunAsync(args);

BenchmarkSwitcher.FromAssembly(typeof(Sm2Benchmarks).Assembly).Run(args);
return 0;

internal static class CryptoReport
{
    public static int Run()
    {
        var job = Job.ShortRun
            .WithToolchain(InProcessEmitToolchain.Instance) // no child build: fast, and no lock fights with parallel builds
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(400));
        var config = ManualConfig.CreateMinimumViable().AddJob(job).WithOptions(ConfigOptions.DisableLogFile);

        var summaries = new[] { BenchmarkRunner.Run<Sm2Benchmarks>(config), BenchmarkRunner.Run<Sm3Benchmarks>(config) };
        double Mean(string description)
        {
            var report = summaries.SelectMany(s => s.Reports).Single(r => r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'') == description);
            return report.ResultStatistics?.Mean ?? double.NaN; // nanoseconds per operation
        }

        Console.WriteLine("Measuring the openssl baseline (openssl speed, 3 s per figure)...");
        var single = OpenSslSpeed.Sm2(3, 1);
        var multi = OpenSslSpeed.Sm2(3, Environment.ProcessorCount);
        var sm3 = OpenSslSpeed.Sm3MegabytesPerSecond(3, Sm3Benchmarks.InputSize);

        var cores = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"load average while measuring: {File.ReadAllText("/proc/loadavg").Trim()}");
        var rows = new (string Operation, double Ours, double? OpenSsl)[]
        {
            ("SM2 sign/s, 1 core", 1e9 / Mean("SM2 sign"), single?.SignPerSecond),
            ("SM2 verify/s, 1 core", 1e9 / Mean("SM2 verify"), single?.VerifyPerSecond),
            ($"SM2 verify/s, parallel ({cores} cores; openssl -multi {cores})", 1e9 / Mean("SM2 verify, parallel"), multi?.VerifyPerSecond),
            ("SM3 MB/s, 1 MiB input, 1 core", Sm3Benchmarks.InputSize / (Mean("SM3 1 MiB") / 1e9) / 1e6, sm3),
        };

        Console.WriteLine();
        Console.WriteLine("| operation | ours | openssl | ours / openssl |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (operation, ours, openssl) in rows)
        {
            var ratio = openssl is > 0 ? (ours / openssl.Value).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
            var theirs = openssl?.ToString("#,0", CultureInfo.InvariantCulture) ?? "n/a";
            Console.WriteLine($"| {operation} | {ours.ToString("#,0", CultureInfo.InvariantCulture)} | {theirs} | {ratio} |");
        }
        return 0;
    }
}
