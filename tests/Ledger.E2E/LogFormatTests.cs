using System.Text.Json;
using System.Text.RegularExpressions;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// What a log shipper reads from <c>ledger node</c>: in the text format every log line starts with its UTC time to the
/// millisecond and its level; in the json format every line of the output is one JSON object with both.
/// </summary>
[NonParallelizable]
public sealed partial class LogFormatTests
{
    [Test]
    public async Task Json_logs_are_one_object_per_line_and_text_logs_carry_utc_ms_time_and_level()
    {
        using var devnet = new DevnetFixture(validators: 2);
        // Two validators, so that they connect to each other and log it at Information.
        using var json = LedgerProcess.Start("node", "--config", devnet.NodeConfig(devnet.ValidatorNames[0]), "--log-format", "json");
        using var text = LedgerProcess.Start("node", "--config", devnet.NodeConfig(devnet.ValidatorNames[1]));
        await devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(120), json);
        await devnet.WaitHealthyAsync(1, TimeSpan.FromSeconds(120), text);
        await Until(() => json.Output.Contains("connected", StringComparison.Ordinal) && text.Output.Contains("connected", StringComparison.Ordinal), json, text);
        json.Stop(TimeSpan.FromSeconds(30));
        text.Stop(TimeSpan.FromSeconds(30));

        var jsonLines = json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(jsonLines, Has.Length.GreaterThanOrEqualTo(3), json.Output);
        foreach (var line in jsonLines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.That(UtcMilliseconds().IsMatch(entry.RootElement.GetProperty("Timestamp").GetString()!), Is.True, line);
            Assert.That(entry.RootElement.GetProperty("LogLevel").GetString(), Is.AnyOf("Trace", "Debug", "Information", "Warning", "Error", "Critical"), line);
            Assert.That(entry.RootElement.GetProperty("Category").GetString(), Is.Not.Empty, line);
        }
        Assert.That(jsonLines, Has.Some.Contains("\"Category\":\"Ledger.Cli\"").And.Some.Contains("running"), "the banner is JSON too");

        var logLines = text.Output.Split('\n').Where(l => TextLogLine().IsMatch(l)).ToArray();
        Assert.That(logLines, Has.Some.Contains("connected"), text.Output);
    }

    [Test]
    public void An_unknown_log_format_is_bad_usage()
    {
        var (exit, output) = LedgerProcess.Run("node", "--config", "x.json", "--log-format", "xml");
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.StartWith("ledger: ").And.Contain("xml"));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex UtcMilliseconds();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trce|dbug|info|warn|fail|crit): \S")]
    private static partial Regex TextLogLine();

    private static async Task Until(Func<bool> condition, params LedgerProcess[] processes)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out:\n{string.Join("\n---\n", processes.Select(p => p.Output))}");
            await Task.Delay(100);
        }
    }
}
