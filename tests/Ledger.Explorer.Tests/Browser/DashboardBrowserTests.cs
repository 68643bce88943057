using System.Globalization;
using System.Text;
using System.Text.Json;
using Ledger.Core.Transactions;
using Ledger.Explorer.Tests.Support;
using Ledger.TestKit.Builders;
using Microsoft.Playwright;

namespace Ledger.Explorer.Tests.Browser;

/// <summary>
/// The bureau dashboard in headless Chromium over a real PostgreSQL, indexer path and analytics service: a city bureau
/// sees its own city drawn with the numbers the generator recorded, downloads the same numbers as CSV, is refused another
/// city (403, never an empty chart) and acknowledges a warning in its name; the province sees every city; nobody else
/// gets a dashboard.
/// </summary>
[NonParallelizable]
public class DashboardBrowserTests
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private DashboardStack _stack = null!;
    private BrowserSession _browser = null!;
    private IPage _page = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _stack = await DashboardStack.StartAsync(ExplorerNetwork.Instance);
        _browser = await BrowserSession.StartAsync();
        _page = await _browser.OpenPageAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (_stack is not null) await _stack.DisposeAsync();
    }

    [TearDown]
    public async Task NoPageErrors()
    {
        await _page.SetViewportSizeAsync(1280, 900);
        Assert.That(_browser.TakePageErrors(), Is.Empty, "errors in the page");
    }

    private Task GoAsync(string path) => _page.GotoAsync(new Uri(_stack.ExplorerUrl, path).ToString());

    private ILocator Q(string selector) => _page.Locator(selector);

    /// <summary>Signs out whoever is signed in, then in as <paramref name="user"/> through the sign-in form.</summary>
    private async Task SignInAsync(string user)
    {
        await GoAsync("/staff");
        await _page.EvaluateAsync("() => fetch('/api/session', { method: 'DELETE' })");
        await GoAsync("/staff");
        await Q("#staff-user").FillAsync(user);
        await Q("#staff-password").FillAsync(DashboardStack.Password);
        await Q("#staff-case").FillAsync(DashboardStack.Reference);
        await Q("#sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(Q("#staff-who")).ToContainTextAsync(user);
    }

    private async Task OpenDashboardAsync(string query = "")
    {
        await GoAsync("/dashboard" + query);
        await Assertions.Expect(Q("#dashboard[data-charts=drawn]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>The months the dashboard shows by default: the twelve up to this one (UTC+8).</summary>
    private static List<string> DefaultMonths()
    {
        var now = DateTimeOffset.UtcNow.ToOffset(ChinaOffset);
        var last = new DateOnly(now.Year, now.Month, 1);
        return [.. Enumerable.Range(0, 12).Select(i => last.AddMonths(i - 11).ToString("yyyy-MM", CultureInfo.InvariantCulture))];
    }

    private static string MonthOf(ContractHistory.Event e) => e.Time.ToOffset(ChinaOffset).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private IEnumerable<ContractHistory.Event> EventsOf(string cityPrefix) => _stack.History.Events.Where(e => e.Village.StartsWith(cityPrefix, StringComparison.Ordinal));

    /// <summary>What the generator recorded for a city, month by month: signed, changed, dissolved, terminated, in force at the month's end.</summary>
    private Dictionary<string, long[]> Expected(string cityPrefix, IReadOnlyList<string> months, Func<ContractHistory.Event, bool>? filter = null)
    {
        var events = EventsOf(cityPrefix).Where(filter ?? (_ => true)).ToList();
        var result = new Dictionary<string, long[]>();
        foreach (var month in months)
        {
            var of = events.Where(e => MonthOf(e) == month).ToList();
            var inForce = events.Where(e => string.CompareOrdinal(MonthOf(e), month) <= 0).Sum(e => (e.Opened ? 1L : 0) - (e.Closed ? 1L : 0));
            result[month] =
            [
                of.LongCount(e => e.Action == ContractAction.Sign && e.Concluded == ContractAction.Register),
                of.LongCount(e => e.Concluded == ContractAction.Change),
                of.LongCount(e => e.Action == ContractAction.Dissolve),
                of.LongCount(e => e.Action == ContractAction.Terminate),
                inForce,
            ];
        }
        return result;
    }

    private async Task<JsonElement> ChartAsync(string id) =>
        JsonDocument.Parse(await _page.EvaluateAsync<string>($@"() => {{
            const o = echarts.getInstanceByDom(document.getElementById('{id}')).getOption();
            return JSON.stringify({{ categories: (o.yAxis[0].type === 'category' ? o.yAxis[0] : o.xAxis[0]).data, series: o.series.map(s => ({{ id: s.id, data: s.data }})) }});
        }}")).RootElement;

    private static long[] Series(JsonElement chart, string id) =>
        [.. chart.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id).GetProperty("data").EnumerateArray().Select(v => v.GetInt64())];

    private static string[] Categories(JsonElement chart) => [.. chart.GetProperty("categories").EnumerateArray().Select(v => v.GetString()!)];

    [Test]
    public async Task A_city_bureau_sees_its_city_drawn_with_the_generators_numbers()
    {
        await SignInAsync(DashboardStack.GuangzhouUser);
        await Q("#dashboard-link").ClickAsync();
        await Assertions.Expect(Q("#dashboard[data-charts=drawn]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(Q("#dash-division")).ToContainTextAsync("广州市");

        var months = DefaultMonths();
        var expected = Expected("4401", months);
        Assert.That(expected.Values.Sum(v => v[0]), Is.GreaterThan(50), "the generated history gives Guangzhou contracts to count");
        var monthly = await ChartAsync("chart-monthly");
        Assert.That(Categories(monthly), Is.EqualTo(months));
        Assert.Multiple(() =>
        {
            Assert.That(Series(monthly, "signed"), Is.EqualTo(months.Select(m => expected[m][0])), "signed per month");
            Assert.That(Series(monthly, "changed"), Is.EqualTo(months.Select(m => expected[m][1])), "changed per month");
            Assert.That(Series(monthly, "dissolved"), Is.EqualTo(months.Select(m => expected[m][2])), "dissolved per month");
            Assert.That(Series(monthly, "terminated"), Is.EqualTo(months.Select(m => expected[m][3])), "terminated per month");
            Assert.That(Series(monthly, "inForce"), Is.EqualTo(months.Select(m => expected[m][4])), "in force at each month's end");
        });

        // Drawn, not only configured: the canvas has paint on it.
        foreach (var id in new[] { "chart-monthly", "chart-esign", "chart-industries", "chart-subdivisions" })
        {
            var painted = await _page.EvaluateAsync<int>($@"() => {{
                const c = document.querySelector('#{id} canvas'); if (!c) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }}");
            Assert.That(painted, Is.GreaterThan(2000), $"{id} is drawn");
        }

        var guangzhou = EventsOf("4401").ToList();
        var industries = await ChartAsync("chart-industries");
        var signedBySection = guangzhou.Where(e => e.Action == ContractAction.Sign && e.Concluded == ContractAction.Register)
            .GroupBy(e => e.Industry[..1]).ToDictionary(g => g.Key, g => g.LongCount());
        var sections = Categories(industries).Select(c => c[..1]).ToArray();
        Assert.That(sections, Is.EquivalentTo(guangzhou.Select(e => e.Industry[..1]).Distinct()), "every section with events in Guangzhou");
        Assert.That(Series(industries, "signed"), Is.EqualTo(sections.Select(s => signedBySection.GetValueOrDefault(s))), "signed per section");

        // Sub-divisions: Guangzhou's districts only, none of another city's.
        var rows = await Q("#subdivisions-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.division)");
        Assert.That(rows, Is.EquivalentTo(guangzhou.Select(e => e.Village[..6] + "000000").Distinct()));
        Assert.That(Series(await ChartAsync("chart-subdivisions"), "signed").Sum(), Is.EqualTo(expected.Values.Sum(v => v[0])));

        // The open warnings of Guangzhou, as the indexer raised them, each linking to its contracts.
        var warnings = await _stack.OpenWarningsAsync("440100000000");
        Assert.That(warnings.Select(w => w.Kind), Has.Some.StartWith("art41_"), "the history raises art. 41 warnings in Guangzhou (2 economic dismissals in 30 days, or 10 % of a workforce)");
        await Assertions.Expect(Q("#warnings-table tbody tr")).ToHaveCountAsync(warnings.Count);
        var first = warnings[0];
        var links = await Q($"tr[data-warning='{first.Id}'] td.contracts a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.That(links, Is.EqualTo(first.Evidence.Select(e => "/contract/" + Uri.EscapeDataString(e.ContractId))));
        await BrowserSession.ScreenshotAsync(_page, "40-dashboard-guangzhou");
    }

    [Test]
    public async Task Filters_of_division_industry_contract_type_and_months_redraw_the_charts_with_the_generators_numbers()
    {
        await SignInAsync(DashboardStack.GuangzhouUser);
        await OpenDashboardAsync();

        // The months are picked as 年 and 月 in Chinese, whatever the browser's locale: no month input, no English month name.
        await Assertions.Expect(Q("input[type=month]")).ToHaveCountAsync(0);
        var fromOptions = await Q("#pick-from select[name=fromMonth] option").AllTextContentsAsync();
        Assert.That(fromOptions, Is.EqualTo(Enumerable.Range(1, 12).Select(m => $"{m}月")));
        Assert.That(await Q("#pick-from select[name=fromYear] option").AllTextContentsAsync(), Is.All.Match(@"^\d{4}年$"));
        var englishMonths = new System.Text.RegularExpressions.Regex(@"\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b");
        Assert.That(englishMonths.Matches(await Q("#dash-range").InnerTextAsync()), Is.Empty, "the filter form");
        Assert.That(englishMonths.Matches(await _page.Locator("body").InnerTextAsync()), Is.Empty, "the page");

        // The division filter offers Guangzhou and its districts, nothing outside.
        var offered = await Q("#filter-division option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)");
        Assert.That(offered, Has.Member("440100000000"));
        Assert.That(offered, Is.All.StartWith("4401"));

        // The busiest district, its busiest section, fixed-term contracts, four months.
        var guangzhou = EventsOf("4401").ToList();
        var district = guangzhou.GroupBy(e => e.Village[..6] + "000000").OrderByDescending(g => g.Count()).First().Key;
        var section = guangzhou.Where(e => e.Village.StartsWith(district[..6], StringComparison.Ordinal)).GroupBy(e => e.Industry[..1]).OrderByDescending(g => g.Count()).First().Key;
        var all = DefaultMonths();
        var months = all.Skip(7).Take(4).ToList();
        bool Chosen(ContractHistory.Event e) => e.Village.StartsWith(district[..6], StringComparison.Ordinal) && e.Industry[..1] == section && e.Type == Core.Contracts.ContractType.FixedTerm;
        var expected = Expected("4401", months, Chosen);
        Assert.That(guangzhou.Count(e => Chosen(e) && months.Contains(MonthOf(e))), Is.GreaterThan(10), "the filters leave events to count");

        await Q("#filter-division").SelectOptionAsync(district);
        await Q("#filter-section").SelectOptionAsync(section);
        await Q("#filter-type").SelectOptionAsync("fixed-term");
        await Q("#pick-from select[name=fromYear]").SelectOptionAsync(months[0][..4]);
        await Q("#pick-from select[name=fromMonth]").SelectOptionAsync(int.Parse(months[0][5..], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        await Q("#pick-to select[name=toYear]").SelectOptionAsync(months[^1][..4]);
        await Q("#pick-to select[name=toMonth]").SelectOptionAsync(int.Parse(months[^1][5..], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        await Q("#dash-range button[type=submit]").ClickAsync();
        await Assertions.Expect(Q("#dashboard[data-charts=drawn] #dash-filtered")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.That(_page.Url, Does.Contain($"division={district}").And.Contain($"section={section}").And.Contain("type=fixed-term").And.Contain($"from={months[0]}").And.Contain($"to={months[^1]}"));

        var monthly = await ChartAsync("chart-monthly");
        Assert.That(Categories(monthly), Is.EqualTo(months));
        Assert.Multiple(() =>
        {
            Assert.That(Series(monthly, "signed"), Is.EqualTo(months.Select(m => expected[m][0])), "signed per month");
            Assert.That(Series(monthly, "changed"), Is.EqualTo(months.Select(m => expected[m][1])), "changed per month");
            Assert.That(Series(monthly, "dissolved"), Is.EqualTo(months.Select(m => expected[m][2])), "dissolved per month");
            Assert.That(Series(monthly, "terminated"), Is.EqualTo(months.Select(m => expected[m][3])), "terminated per month");
            Assert.That(Series(monthly, "inForce"), Is.EqualTo(months.Select(m => expected[m][4])), "in force at each month's end");
        });
        var industries = await ChartAsync("chart-industries");
        Assert.That(Categories(industries).Select(c => c[..1]), Is.EqualTo(new[] { section }), "one section left");
        var subdivisions = await ChartAsync("chart-subdivisions");
        Assert.That(Series(subdivisions, "signed").Sum(), Is.EqualTo(expected.Values.Sum(v => v[0])), "the district's towns add up");
        Assert.That(englishMonths.Matches(await _page.Locator("body").InnerTextAsync()), Is.Empty, "the filtered page");
        Assert.That(await Q("#pick-to select[name=toMonth] option:checked").TextContentAsync(), Is.EqualTo($"{int.Parse(months[^1][5..], CultureInfo.InvariantCulture)}月"));
        await BrowserSession.ScreenshotAsync(_page, "44-dashboard-filtered");

        // The CSV follows the filters.
        var download = await _page.RunAndWaitForDownloadAsync(() => Q("#csv-monthly").ClickAsync());
        Assert.That(download.SuggestedFilename, Does.Contain(district).And.Contain(section).And.Contain("fixed-term"));
        var lines = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await download.PathAsync())!)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var csv = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0]);
        Assert.That(csv.Keys, Is.EqualTo(months));
        foreach (var month in months)
            Assert.That(new[] { long.Parse(csv[month][1], CultureInfo.InvariantCulture), long.Parse(csv[month][2], CultureInfo.InvariantCulture) }, Is.EqualTo(new[] { expected[month][0], expected[month][4] }), month);

        // Filters the server refuses: another city's division (403), an unknown section or contract type (400).
        var statuses = await _page.EvaluateAsync<int[]>(@"async () => Promise.all([
            '/api/dashboard?division=440300000000&section=C&type=fixed-term', '/api/dashboard/monthly.csv?division=440300000000&type=open-ended',
            '/api/dashboard?section=Z', '/api/dashboard?section=CC', '/api/dashboard?type=permanent', '/api/dashboard/monthly.csv?type=1'].map(async u => (await fetch(u)).status))");
        Assert.That(statuses, Is.EqualTo(new[] { 403, 403, 400, 400, 400, 400 }));
    }

    [Test]
    public async Task The_city_bureau_downloads_each_table_as_csv_with_the_same_counts()
    {
        await SignInAsync(DashboardStack.GuangzhouUser);
        await OpenDashboardAsync();
        var months = DefaultMonths();
        var expected = Expected("4401", months);

        var download = await _page.RunAndWaitForDownloadAsync(() => Q("#csv-monthly").ClickAsync());
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.That(bytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with a byte-order mark, for Excel");
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("月份 (month),签订 (signed),期末在履行 (in force at end)"));
        var byMonth = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0]);
        Assert.That(byMonth.Keys, Is.EqualTo(months));
        foreach (var month in months)
        {
            var c = byMonth[month];
            // month, signed, in force, changed, renewed, dissolved, terminated, paper, e-share
            Assert.That(new[] { long.Parse(c[1], CultureInfo.InvariantCulture), long.Parse(c[3], CultureInfo.InvariantCulture), long.Parse(c[5], CultureInfo.InvariantCulture),
                long.Parse(c[6], CultureInfo.InvariantCulture), long.Parse(c[2], CultureInfo.InvariantCulture) }, Is.EqualTo(expected[month]), month);
        }

        var sub = await _page.RunAndWaitForDownloadAsync(() => Q("#csv-subdivisions").ClickAsync());
        var subText = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await sub.PathAsync())!)).TrimStart('\uFEFF');
        var subRows = subText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.That(subRows.Select(r => r[0]), Is.All.StartWith("4401"), "Guangzhou's districts only");
        Assert.That(subRows.Sum(r => long.Parse(r[1], CultureInfo.InvariantCulture)), Is.EqualTo(expected.Values.Sum(v => v[0])));

        var warnings = await _page.RunAndWaitForDownloadAsync(() => Q("#csv-warnings").ClickAsync());
        var warningText = Encoding.UTF8.GetString(await File.ReadAllBytesAsync((await warnings.PathAsync())!)).TrimStart('\uFEFF');
        var warningRows = warningText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        var open = await _stack.OpenWarningsAsync("440100000000");
        Assert.That(warningRows.Select(r => long.Parse(r[0], CultureInfo.InvariantCulture)), Is.EqualTo(open.Select(w => w.Id)), "the open warnings, newest first");
        Assert.That(warningRows.Select(r => r[1]), Is.All.AnyOf("规模性裁员（人数达标）", "规模性裁员（占比达标）", "解除终止率异常上升"), "Chinese as Chinese");
        Assert.That(warningRows.Select(r => r[1]), Does.Contain("规模性裁员（人数达标）").Or.Contain("规模性裁员（占比达标）"), "art. 41 warnings among them");
    }

    [Test]
    public async Task The_city_bureau_is_refused_another_citys_data_with_a_clear_message()
    {
        await SignInAsync(DashboardStack.GuangzhouUser);
        await GoAsync("/dashboard?division=440300000000");
        await Assertions.Expect(Q("#error")).ToHaveAttributeAsync("data-code", "outside_division");
        await Assertions.Expect(Q("#error")).ToContainTextAsync("不在本账号的辖区");
        await Assertions.Expect(Q("#error")).ToContainTextAsync("outside 440100000000");
        await Assertions.Expect(Q(".chart")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(_page, "41-dashboard-refused");

        var statuses = await _page.EvaluateAsync<int[]>(@"async () => Promise.all([
            '/api/dashboard?division=440300000000', '/api/dashboard/monthly.csv?division=440300', '/api/dashboard/warnings.csv?division=440000000000',
            '/api/dashboard?division=440106000000'].map(async u => (await fetch(u)).status))");
        Assert.That(statuses, Is.EqualTo(new[] { 403, 403, 403, 200 }), "Shenzhen, its CSV and the province refused; a Guangzhou district served");

        // A Shenzhen warning is not Guangzhou's to acknowledge.
        if ((await _stack.OpenWarningsAsync("440300000000")).FirstOrDefault() is { } shenzhen)
        {
            var status = await _page.EvaluateAsync<int>($"async () => (await fetch('/api/dashboard/warnings/{shenzhen.Id}/acknowledge', {{ method: 'POST' }})).status");
            Assert.That(status, Is.EqualTo(403));
            Assert.That((await _stack.WarningAsync(shenzhen.Id))!.AcknowledgedAt, Is.Null);
        }
    }

    [Test]
    public async Task The_province_sees_every_city()
    {
        await SignInAsync(DashboardStack.ProvinceUser);
        await OpenDashboardAsync();
        var cities = _stack.History.Events.Select(e => e.Village[..4] + "00000000").Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.That(cities, Has.Length.EqualTo(21), "the history reaches all 21 cities");
        var rows = await Q("#subdivisions-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.division)");
        Assert.That(rows, Is.EquivalentTo(cities));
        var chart = await ChartAsync("chart-subdivisions");
        Assert.That(Categories(chart), Does.Contain("广州市").And.Contain("深圳市").And.Contain("云浮市"));
        var signed = _stack.History.Events.LongCount(e => e.Action == ContractAction.Sign && e.Concluded == ContractAction.Register);
        Assert.That(Series(chart, "signed").Sum(), Is.EqualTo(signed), "every city's signed contracts");
        await Assertions.Expect(Q("#total-signed")).ToHaveTextAsync(signed.ToString("N0", CultureInfo.InvariantCulture));
        await BrowserSession.ScreenshotAsync(_page, "42-dashboard-province");

        // A city from the province's table opens that city's dashboard.
        await Q("#subdivisions-table tr[data-division='440300000000'] a").ClickAsync();
        await Assertions.Expect(Q("#dashboard[data-charts=drawn]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(Q("#dash-division")).ToContainTextAsync("深圳市");
    }

    [Test]
    public async Task A_bureau_acknowledges_a_warning_in_its_own_name()
    {
        await SignInAsync(DashboardStack.GuangzhouUser);
        await OpenDashboardAsync();
        var warning = (await _stack.OpenWarningsAsync("440100000000"))[^1];
        await Q($"tr[data-warning='{warning.Id}'] button.ack").ClickAsync();
        await Assertions.Expect(Q($"tr[data-warning='{warning.Id}'] .acknowledged")).ToHaveTextAsync("已确认");
        var stored = await _stack.WarningAsync(warning.Id);
        Assert.That(stored!.AcknowledgedAt, Is.Not.Null);
        Assert.That(stored.AcknowledgedBy, Does.StartWith($"Bureau:广州市人力资源和社会保障局/{DashboardStack.GuangzhouUser} via "), "who did it, through which explorer");
        await OpenDashboardAsync();
        await Assertions.Expect(Q($"tr[data-warning='{warning.Id}']")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task Anonymous_visitors_and_legal_authority_get_no_dashboard()
    {
        await GoAsync("/staff");
        await _page.EvaluateAsync("() => fetch('/api/session', { method: 'DELETE' })");
        await GoAsync("/dashboard");
        await Assertions.Expect(Q("#sign-in-required")).ToBeVisibleAsync();
        await Assertions.Expect(Q("#dashboard-link")).ToHaveCountAsync(0);
        var anonymous = await _page.EvaluateAsync<int[]>("async () => Promise.all(['/api/dashboard', '/api/dashboard/monthly.csv'].map(async u => (await fetch(u)).status))");
        Assert.That(anonymous, Is.EqualTo(new[] { 401, 401 }));

        await SignInAsync(DashboardStack.CourtUser);
        await Assertions.Expect(Q("#dashboard-link")).ToHaveCountAsync(0);
        await GoAsync("/dashboard");
        await Assertions.Expect(Q("#error")).ToHaveAttributeAsync("data-code", "bureau_only");
    }

    [Test]
    public async Task At_375_px_the_dashboard_does_not_overflow()
    {
        await SignInAsync(DashboardStack.GuangzhouUser);
        await _page.SetViewportSizeAsync(375, 800);
        await OpenDashboardAsync();
        await _page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var width = await _page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var widest = await _page.EvaluateAsync<string>(@"() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 376 && !e.closest('.table-scroll')).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).join('; ')");
        Assert.That(width, Is.LessThanOrEqualTo(375), $"the dashboard is {width} px wide on a 375 px phone: {widest}");
        var chartWidth = await _page.EvaluateAsync<double>("() => document.querySelector('#chart-monthly canvas').getBoundingClientRect().width");
        Assert.That(chartWidth, Is.InRange(300, 375), "the chart fits the phone");
        await BrowserSession.ScreenshotAsync(_page, "43-dashboard-phone");
    }
}
