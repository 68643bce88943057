using System.Globalization;
using Ledger.Chaincode.Tests.Support;
using Ledger.Core;

namespace Ledger.Chaincode.Tests;

/// <summary>
/// The same txs give the same state root and the same receipts (codes, messages, warnings) whatever the
/// current culture. This test project turns InvariantGlobalization off so the cultures are real ICU cultures
/// (the preconditions below prove it): Turkish casing, Arabic Um al-Qura and Thai Buddhist calendars, Chinese.
/// </summary>
[NonParallelizable]
public class DeterminismTests
{
    private static readonly string[] Cultures = ["tr-TR", "zh-CN", "ar-SA", "th-TH", "fa-IR"];

    [Test]
    public void Cultures_are_real_in_this_test_project()
    {
        Assert.That("i".ToUpper(new CultureInfo("tr-TR")), Is.EqualTo("\u0130"));
        Assert.That(new CultureInfo("ar-SA").Calendar, Is.InstanceOf<UmAlQuraCalendar>());
        Assert.That(new CultureInfo("th-TH").Calendar, Is.InstanceOf<ThaiBuddhistCalendar>());
        Assert.That(new DateTime(2024, 7, 1).ToString("d", new CultureInfo("th-TH")), Does.Contain("2567"));
    }

    [TestCaseSource(nameof(Cultures))]
    public void Same_state_root_and_receipts_under(string culture)
    {
        var expected = Run(CultureInfo.InvariantCulture);
        var actual = Run(new CultureInfo(culture));
        Assert.That(actual.Receipts, Is.EqualTo(expected.Receipts));
        Assert.That(actual.Root, Is.EqualTo(expected.Root));
    }

    [Test]
    public void Run_exercises_messages_with_numbers_and_dates()
    {
        // The comparison above is only as good as what the run produces: make sure it includes the messages
        // most at risk (numbers, dates) and warnings.
        var receipts = Run(CultureInfo.InvariantCulture).Receipts;
        Assert.That(receipts.Any(r => r.Contains("ProbationTooLong", StringComparison.Ordinal)), Is.True);
        Assert.That(receipts.Any(r => r.Contains("ThirdConsecutiveFixedTerm", StringComparison.Ordinal)), Is.True);
        Assert.That(receipts.Any(r => r.Contains("WrongVersion", StringComparison.Ordinal)), Is.True);
    }

    private static (Hash32 Root, List<string> Receipts) Run(CultureInfo culture)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            var chain = new TestChain();
            var actions = new RandomActions(seed: 20240701);
            for (var step = 0; step < 400; step++) actions.Step(chain);
            // Probation limits, too early renewals and a third fixed term, with their dates and numbers in messages.
            chain.Register("D-1", Make.Terms(end: "2024-12-31", probationEnd: "2024-08-15"));
            chain.RegisterEffective("D-2", Make.Terms(start: "2018-01-01", end: "2020-12-31"));
            chain.RegisterEffective("D-3", Make.Terms(start: "2021-01-01", end: "2023-12-31"));
            chain.Register("D-4");
            chain.Submit(Make.Sign("D-4", 7, Make.Doc("D-4", 1)), Parties.EmployerA, Parties.EmployerA);
            var receipts = chain.Log.Select(e => $"{e.Result.Code}|{e.Result.Message}|{string.Join(",", e.Result.Warnings)}").ToList();
            return (chain.StateRoot(), receipts);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previousUi;
        }
    }
}
