using System.Globalization;
using Grpc.Core;
using Ledger.Client;
using Ledger.Core.Identity;
using Ledger.Explorer.Api;
using Ledger.Explorer.Staff;
using Ledger.Proto.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using DivisionLevel = Ledger.Core.Identity.DivisionLevel;

namespace Ledger.Explorer.Dashboard;

/// <summary>
/// The bureau dashboard's API under <c>/api/dashboard</c>: statistics and open early warnings of a division, as JSON for
/// the page and as CSV (one file per table). Signed-in bureau staff only, inside their account's division: the explorer
/// refuses anything else here (403, never an empty chart), then asks <c>ledger analytics</c> under the operator's own
/// certificate, passing the division, and the service refuses again what lies outside that certificate's division.
/// Acknowledging a warning is recorded there with the account's name.
/// </summary>
internal sealed class DashboardApi(AnalyticsClient? analytics, StaffSessions sessions, TimeProvider? time = null)
{
    private const int MaxMonths = 60;
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Who asks, for which division, over which months (first days, both inclusive), of which industry section and contract type (null: all).</summary>
    private sealed record Scope(StaffSessions.Session Staff, DivisionCode Division, DateOnly From, DateOnly To, string? Section, string? Type);

    public void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dashboard");
        api.MapGet("", (Delegate)((HttpContext c) => Guarded(c, scope => Dashboard(scope, c.RequestAborted))));
        api.MapGet("/{table}.csv", (HttpContext c, string table) => Guarded(c, scope => Csv(scope, table, c.RequestAborted)));
        api.MapPost("/warnings/{id}/acknowledge", (HttpContext c, string id) => Guarded(c, scope => Acknowledge(scope, id, c.RequestAborted)));
    }

    private async Task<IResult> Guarded(HttpContext context, Func<Scope, Task<IResult>> handler)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (Gate(context, out var scope) is { } refused) return refused;
        try
        {
            return await handler(scope!);
        }
        catch (LedgerClientException e)
        {
            return e.Status switch
            {
                StatusCode.Unavailable or StatusCode.DeadlineExceeded => ApiError.Of(StatusCodes.Status503ServiceUnavailable, "analytics_unreachable",
                    $"统计服务暂时无法连接，请稍后再试。The analytics service cannot be reached ({e.Status}); try again shortly."),
                StatusCode.PermissionDenied => ApiError.Of(StatusCodes.Status403Forbidden, "outside_division",
                    $"统计服务拒绝了本次查询（超出本浏览器的授权范围）。The analytics service refused: {e.Message}"),
                StatusCode.NotFound => ApiError.NotFound($"未找到该预警。{e.Message}"),
                StatusCode.InvalidArgument => ApiError.BadRequest("bad_request", e.Message),
                _ => ApiError.Of(StatusCodes.Status502BadGateway, "analytics_error", $"统计服务出错：{e.ReasonName}。The analytics service answered {e.ReasonName}: {e.Message}"),
            };
        }
    }

    /// <summary>Signed in, a bureau account, an analytics service configured, and the division asked for inside the account's.</summary>
    private IResult? Gate(HttpContext context, out Scope? scope)
    {
        scope = null;
        if (sessions.Find(context.Request.Cookies[StaffSessions.Cookie]) is not { } staff)
            return ApiError.Of(StatusCodes.Status401Unauthorized, "sign_in_required",
                "统计看板仅向已登录的人社部门工作人员开放，请先登录。The dashboard is for signed-in bureau staff: sign in first.");
        if (staff.Account.Role != StaffRole.Bureau || staff.Account.Division is not { } own)
            return ApiError.Of(StatusCodes.Status403Forbidden, "bureau_only",
                "统计看板仅向人力资源和社会保障部门的账号开放；法院、仲裁和监察账号按案件查阅合同。The dashboard is for bureau accounts; courts, arbitration boards and inspectors read contracts for a case.");
        if (analytics is null)
            return ApiError.Of(StatusCodes.Status503ServiceUnavailable, "no_analytics",
                "本浏览器未连接统计服务（--analytics）。This explorer runs without an analytics service (--analytics).");
        var division = own;
        var asked = context.Request.Query["division"].ToString().Trim();
        if (asked.Length > 0)
        {
            if (!DivisionCode.TryParse(asked, out division))
                return ApiError.BadRequest("bad_division", $"“{Shorten(asked)}”不是 6 位或 12 位行政区划代码。'{Shorten(asked)}' is not a 6- or 12-digit division code.");
            if (!own.Contains(division))
                return ApiError.Of(StatusCodes.Status403Forbidden, "outside_division",
                    $"行政区划 {division.Value} 不在本账号的辖区（{own.Value}）内，无权查看其统计。Division {division.Value} lies outside {own.Value}, the division of this account: its statistics are not shown to you.");
        }
        var now = _time.GetUtcNow().ToOffset(ChinaOffset);
        var to = new DateOnly(now.Year, now.Month, 1);
        if (Month(context, "to") is { } toMonth) to = toMonth;
        else if (context.Request.Query.ContainsKey("to")) return BadMonth("to");
        var from = to.AddMonths(-11);
        if (Month(context, "from") is { } fromMonth) from = fromMonth;
        else if (context.Request.Query.ContainsKey("from")) return BadMonth("from");
        if (from > to) return ApiError.BadRequest("bad_month", "起始月份晚于截止月份。The first month is after the last.");
        if (Months(from, to) > MaxMonths) return ApiError.BadRequest("bad_month", $"一次至多查询 {MaxMonths} 个月。At most {MaxMonths} months at a time.");
        var section = context.Request.Query["section"].ToString().Trim();
        if (section.Length > 0 && !DashboardLabels.SectionLetters.Contains(section, StringComparer.Ordinal))
            return ApiError.BadRequest("bad_section", $"“{Shorten(section)}”不是国民经济行业门类（A 至 T）。'{Shorten(section)}' is not a GB/T 4754 section letter (A to T).");
        var type = context.Request.Query["type"].ToString().Trim();
        if (type.Length > 0 && !DashboardLabels.ContractTypes.Any(t => t.Key == type))
            return ApiError.BadRequest("bad_type", $"“{Shorten(type)}”不是劳动合同类型（fixed-term、open-ended、task-based）。'{Shorten(type)}' is not a contract type: fixed-term, open-ended or task-based.");
        scope = new Scope(staff, division, from, to, section.Length > 0 ? section : null, type.Length > 0 ? type : null);
        return null;
    }

    private async Task<IResult> Dashboard(Scope scope, CancellationToken cancellationToken)
    {
        var (monthly, totals, industries, subdivisions, warnings) = await ReadAsync(scope, cancellationToken);
        return Results.Json(new
        {
            division = scope.Division.Value,
            level = scope.Division.Level,
            subLevel = SubLevel(scope.Division),
            accountDivision = scope.Staff.Account.Division!.Value.Value,
            from = MonthText(scope.From),
            to = MonthText(scope.To),
            section = scope.Section,
            type = scope.Type,
            // What the division filter offers: the account's division down to this one, and this one's sub-divisions with events.
            divisionChoices = Ancestry(scope.Staff.Account.Division!.Value, scope.Division).Concat(subdivisions.Select(r => r.Division)).Distinct().ToArray(),
            sections = DashboardLabels.SectionLetters.Select(s => new { code = s, name = DashboardLabels.Section(s).Zh, nameEn = DashboardLabels.Section(s).En }),
            contractTypes = DashboardLabels.ContractTypes.Select(t => new { code = t.Key, name = t.Zh, nameEn = t.En }),
            totals = View(totals),
            monthly = monthly.Select(r => View(r) with { Month = r.Month }),
            industries = industries.Select(r => View(r) with { Section = r.IndustrySection, Name = DashboardLabels.Section(r.IndustrySection).Zh, NameEn = DashboardLabels.Section(r.IndustrySection).En }),
            subdivisions = subdivisions.Select(r => View(r) with { Division = r.Division }),
            warnings = warnings.Select(WarningView),
        }, ExplorerJson.Options);
    }

    private async Task<IResult> Csv(Scope scope, string table, CancellationToken cancellationToken)
    {
        CsvTable csv;
        if (table == "warnings")
        {
            csv = new CsvTable(["编号 (id)", "类型 (kind)", "行政区划 (division)", "用人单位统一社会信用代码 (employer)", "触发时间 UTC+8 (raised at)",
                "统计窗口起 UTC+8 (window start)", "人数 (observed)", "基数 (reference)", "说明", "detail", "涉及合同 (contracts)", "交易号 (txs)"]);
            foreach (var w in await OpenWarningsAsync(scope, cancellationToken))
            {
                csv.Add(w.Id, DashboardLabels.WarningKind(w.Kind).Zh, w.Division, w.EmployerCreditCode, ChinaTime(w.RaisedAt), ChinaTime(w.WindowStart),
                    w.Observed, w.Reference, DashboardLabels.DetailZh(w), w.Detail, string.Join(' ', w.Evidence.Select(e => e.ContractId)), string.Join(' ', w.Evidence.Select(e => Convert.ToHexStringLower(e.TxId.Span))));
            }
        }
        else
        {
            var (first, rows) = table switch
            {
                "monthly" => (("月份 (month)", (Func<Proto.V1.StatisticsRow, object?[]>)(r => [r.Month])),
                    await MonthlyAsync(scope, cancellationToken)),
                "industries" => (("门类代码 (section)", r => [r.IndustrySection, DashboardLabels.Section(r.IndustrySection).Zh]),
                    await QueryAsync(scope, new StatisticsRequest { ByIndustrySection = true }, cancellationToken)),
                "subdivisions" when SubLevel(scope.Division) is { } level => (("行政区划 (division)", r => [r.Division]),
                    await QueryAsync(scope, new StatisticsRequest { GroupLevel = (Proto.V1.DivisionLevel)level }, cancellationToken)),
                "subdivisions" => (("行政区划 (division)", r => [r.Division]), (IReadOnlyList<Proto.V1.StatisticsRow>)[]),
                _ => ((null!, null!), null!),
            };
            if (rows is null) return ApiError.NotFound($"没有名为 {Shorten(table)} 的表；可下载 monthly、industries、subdivisions、warnings。No table '{Shorten(table)}': monthly, industries, subdivisions or warnings.");
            string[] keys = table == "industries" ? [first.Item1, "门类 (section name)"] : [first.Item1];
            csv = new CsvTable([.. keys, "签订 (signed)", "期末在履行 (in force at end)", "变更 (changed)", "续订 (renewed)", "解除 (dissolved)", "终止 (terminated)",
                "纸质上传 (paper uploads)", "电子签约占比 (e-signing share)"]);
            foreach (var r in rows)
                csv.Add([.. first.Item2(r), r.Signed, r.InForce, r.Changed, r.Renewed, r.Dissolved, r.Terminated, r.PaperUploads, r.ESigningShare]);
        }
        var name = $"dashboard-{table}-{scope.Division.Value}-{MonthText(scope.From)}_{MonthText(scope.To)}{(scope.Section is null ? "" : "-" + scope.Section)}{(scope.Type is null ? "" : "-" + scope.Type)}.csv";
        return Results.File(csv.ToBytes(), "text/csv; charset=utf-8", name);
    }

    private async Task<IResult> Acknowledge(Scope scope, string id, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            return ApiError.BadRequest("bad_warning_id", $"“{Shorten(id)}”不是预警编号。'{Shorten(id)}' is not a warning number.");
        var warning = await analytics!.AcknowledgeWarningAsync(new AcknowledgeWarningRequest
        {
            Id = number,
            OnBehalfOf = scope.Staff.Account.OnBehalfOf,
            // The account's own division, not the page's: a warning anywhere in its scope may be acknowledged.
            Division = scope.Staff.Account.Division!.Value.Value,
        }, cancellationToken);
        return Results.Json(WarningView(warning), ExplorerJson.Options);
    }

    private async Task<(IReadOnlyList<Proto.V1.StatisticsRow> Monthly, Proto.V1.StatisticsRow Totals, IReadOnlyList<Proto.V1.StatisticsRow> Industries,
        IReadOnlyList<Proto.V1.StatisticsRow> Subdivisions, IReadOnlyList<Proto.V1.Warning> Warnings)> ReadAsync(Scope scope, CancellationToken cancellationToken)
    {
        var monthly = await MonthlyAsync(scope, cancellationToken);
        var totals = (await QueryAsync(scope, new StatisticsRequest(), cancellationToken)).SingleOrDefault() ?? new Proto.V1.StatisticsRow();
        var industries = await QueryAsync(scope, new StatisticsRequest { ByIndustrySection = true }, cancellationToken);
        IReadOnlyList<Proto.V1.StatisticsRow> subdivisions = SubLevel(scope.Division) is { } level
            ? await QueryAsync(scope, new StatisticsRequest { GroupLevel = (Proto.V1.DivisionLevel)level }, cancellationToken)
            : [];
        return (monthly, totals, industries, subdivisions, await OpenWarningsAsync(scope, cancellationToken));
    }

    private async Task<IReadOnlyList<Proto.V1.StatisticsRow>> MonthlyAsync(Scope scope, CancellationToken cancellationToken)
    {
        var byMonth = (await QueryAsync(scope, new StatisticsRequest { ByMonth = true }, cancellationToken)).ToDictionary(r => r.Month, StringComparer.Ordinal);
        // Every month of the range, those without events too: a gap is a zero, and in force carries over from the month before.
        var monthly = new List<Proto.V1.StatisticsRow>();
        var inForce = 0L;
        var first = true;
        for (var month = scope.From; month <= scope.To; month = month.AddMonths(1))
        {
            var key = MonthText(month);
            if (byMonth.TryGetValue(key, out var row))
            {
                inForce = row.InForce;
            }
            else
            {
                if (first) inForce = await InForceAtAsync(scope, month, cancellationToken);
                row = new Proto.V1.StatisticsRow { Month = key, InForce = inForce };
            }
            first = false;
            monthly.Add(row);
        }
        return monthly;
    }

    /// <summary>Contracts in force at the end of a month without events of its own: the range up to it, ungrouped.</summary>
    private async Task<long> InForceAtAsync(Scope scope, DateOnly month, CancellationToken cancellationToken)
    {
        var request = Filtered(scope, new StatisticsRequest { Division = scope.Division.Value, ToMonth = MonthText(month) });
        return (await analytics!.GetStatisticsAsync(request, cancellationToken)).Rows.SingleOrDefault()?.InForce ?? 0;
    }

    private async Task<IReadOnlyList<Proto.V1.StatisticsRow>> QueryAsync(Scope scope, StatisticsRequest request, CancellationToken cancellationToken)
    {
        request.Division = scope.Division.Value;
        request.FromMonth = MonthText(scope.From);
        request.ToMonth = MonthText(scope.To);
        return (await analytics!.GetStatisticsAsync(Filtered(scope, request), cancellationToken)).Rows;
    }

    /// <summary>The page's industry section and contract type filters on a request.</summary>
    private static StatisticsRequest Filtered(Scope scope, StatisticsRequest request)
    {
        if (scope.Section is { } section) request.Industry = section;
        if (scope.Type is { } type) request.ContractType = DashboardLabels.ContractTypes.Single(t => t.Key == type).Type;
        return request;
    }

    /// <summary>The divisions from the account's own down to the one shown, both included.</summary>
    private static IEnumerable<string> Ancestry(DivisionCode own, DivisionCode shown)
    {
        for (var level = own.Level; level <= shown.Level; level++)
        {
            var code = shown.AtLevel(level);
            if (level == own.Level || code != shown.AtLevel(level - 1)) yield return code.Value;
        }
    }

    private async Task<IReadOnlyList<Proto.V1.Warning>> OpenWarningsAsync(Scope scope, CancellationToken cancellationToken) =>
        (await analytics!.ListWarningsAsync(new ListWarningsRequest { Division = scope.Division.Value, UnacknowledgedOnly = true, Limit = 500 }, cancellationToken)).Warnings;

    private sealed record RowView(long Signed, long InForce, long Changed, long Renewed, long Dissolved, long Terminated, long PaperUploads, double ESigningShare)
    {
        public string? Month { get; init; }
        public string? Section { get; init; }
        public string? Name { get; init; }
        public string? NameEn { get; init; }
        public string? Division { get; init; }
    }

    private static RowView View(Proto.V1.StatisticsRow r) =>
        new(r.Signed, r.InForce, r.Changed, r.Renewed, r.Dissolved, r.Terminated, r.PaperUploads, Math.Round(r.ESigningShare, 4));

    private static object WarningView(Proto.V1.Warning w) => new
    {
        id = w.Id,
        kind = w.Kind,
        kindName = DashboardLabels.WarningKind(w.Kind).Zh,
        kindNameEn = DashboardLabels.WarningKind(w.Kind).En,
        division = w.Division,
        employer = w.EmployerCreditCode.Length == 0 ? null : w.EmployerCreditCode,
        raisedHeight = w.RaisedHeight,
        raisedAt = DateTimeOffset.FromUnixTimeMilliseconds(w.RaisedAt),
        windowStart = DateTimeOffset.FromUnixTimeMilliseconds(w.WindowStart),
        observed = w.Observed,
        reference = w.Reference,
        detail = w.Detail,
        acknowledgedAt = w.AcknowledgedAt == 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(w.AcknowledgedAt),
        acknowledgedBy = w.AcknowledgedBy.Length == 0 ? null : w.AcknowledgedBy,
        evidence = w.Evidence.Select(e => new { contractId = e.ContractId, txId = Convert.ToHexStringLower(e.TxId.Span), height = e.Height }),
    };

    /// <summary>The level one below the division's (the province's cities, a city's counties, ...); none below a village.</summary>
    private static DivisionLevel? SubLevel(DivisionCode division) => division.Level == DivisionLevel.Village ? null : division.Level + 1;

    private static DateOnly? Month(HttpContext context, string name)
    {
        var text = context.Request.Query[name].ToString().Trim();
        return DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month : null;
    }

    private static IResult BadMonth(string name) =>
        ApiError.BadRequest("bad_month", $"{name} 须为 yyyy-mm 格式的月份。{name} must be a month as yyyy-mm.");

    private static int Months(DateOnly from, DateOnly to) => (to.Year - from.Year) * 12 + to.Month - from.Month + 1;

    private static string MonthText(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string ChinaTime(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
