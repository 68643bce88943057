using System.Globalization;
using System.Text;
using Ledger.Analytics.Warnings;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Npgsql;

namespace Ledger.Analytics.Statistics;

/// <summary>
/// The statistics of issue 15 in SQL over <c>lifecycle_facts</c>: signed (electronic contracts concluded), paper uploads,
/// changes and renewals that came into force, dissolutions by basis, terminations by reason, e-signing share, average
/// term, probation use, and contracts in force at the end of each month (first conclusions less closures, cumulated);
/// and each worker's art. 14 streak of concluded fixed-term contracts at one employer.
/// </summary>
public sealed class StatisticsReader(NpgsqlDataSource dataSource)
{
    private const string Concluding = "concluded IN (1, 4, 7)"; // register, renew, upload-paper: a new contract term

    /// <summary>The statistics of the query, from the monthly rollup when the query allows it and the rollup is maintained, else from the facts.</summary>
    public async Task<IReadOnlyList<StatisticsRow>> QueryAsync(StatisticsQuery query, CancellationToken cancellationToken = default) =>
        await QueryAsync(query, StatisticsSource.Auto, cancellationToken).ConfigureAwait(false);

    /// <summary>The statistics of the query from the given source; <see cref="StatisticsSource.Rollup"/> for a query it cannot answer is an <see cref="AnalyticsException"/>.</summary>
    public async Task<IReadOnlyList<StatisticsRow>> QueryAsync(StatisticsQuery query, StatisticsSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var useRollup = source switch
        {
            StatisticsSource.Facts => false,
            StatisticsSource.Rollup when !RollupAnswers(query) => throw new AnalyticsException("the monthly rollup cannot answer a query by employer or by an industry class"),
            StatisticsSource.Rollup => true,
            _ => RollupAnswers(query) && await RollupMaintained(connection, cancellationToken).ConfigureAwait(false),
        };
        var shape = useRollup ? RollupShape(query) : FactsShape(query);
        var keys = shape.Keys;
        var parameters = new List<object>();
        var filter = shape.Filter(parameters, true);
        var select = keys.Count == 0 ? "" : string.Join(", ", keys.Select(k => $"{k.Expression} AS {k.Name}")) + ", ";
        var groupBy = keys.Count == 0 ? "" : " GROUP BY " + string.Join(", ", keys.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture)));
        var rows = new Dictionary<(string?, DateOnly?, string?, string?), StatisticsRow>();
        await using (var command = Command(connection, $"SELECT {select} {shape.Measures} FROM {shape.Table} WHERE {filter}{groupBy}", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var at = keys.Count;
                var row = ReadKey(reader, keys) with
                {
                    Signed = reader.GetInt64(at), PaperUploads = reader.GetInt64(at + 1), Changed = reader.GetInt64(at + 2), Renewed = reader.GetInt64(at + 3),
                    Dissolved = reader.GetInt64(at + 4), Terminated = reader.GetInt64(at + 5), AverageTermDays = reader.GetDouble(at + 6), ProbationShare = reader.GetDouble(at + 7),
                };
                rows[row.Key] = row;
            }
        }
        await Breakdown(connection, shape, filter, parameters, "basis", "dissolution_bases", "action = 5", rows, (r, name, n) => r.DissolvedByBasis[name] = n, cancellationToken).ConfigureAwait(false);
        await Breakdown(connection, shape, filter, parameters, "reason", "termination_reasons", "action = 6", rows, (r, name, n) => r.TerminatedByReason[name] = n, cancellationToken).ConfigureAwait(false);
        await InForce(connection, query, shape, rows, cancellationToken).ConfigureAwait(false);
        return rows.Values.OrderBy(r => r.Division, StringComparer.Ordinal).ThenBy(r => r.Month).ThenBy(r => r.IndustrySection, StringComparer.Ordinal)
            .ThenBy(r => r.Employer, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The rollup keeps divisions, months, industry sections and contract types: no employers, no industry classes.</summary>
    public static bool RollupAnswers(StatisticsQuery query) =>
        !query.ByEmployer && query.Employer is not { Length: > 0 } && query.Industry is not { Length: > 1 };

    private static async Task<bool> RollupMaintained(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT rollup FROM index_checkpoint", connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    /// <summary>
    /// How a query reads one source: the table, the group keys as expressions, the filter, the measures (in the order
    /// signed, paper, changed, renewed, dissolved, terminated, average term, probation share), the count of a breakdown
    /// and the in-force step of a group-month.
    /// </summary>
    private sealed record Shape(string Table, List<(string Expression, string Name)> Keys, Func<List<object>, bool, string> Filter, string Measures, string Count, string InForceStep, string InForceRows);

    private static Shape FactsShape(StatisticsQuery query)
    {
        var keys = new List<(string Expression, string Name)>();
        if (query.GroupLevel is { } level) keys.Add((WarningDetector.LevelColumn(level), "division"));
        AddOtherKeys(query, keys);
        return new Shape("lifecycle_facts", keys, (parameters, withMonths) =>
            {
                parameters.Add(query.Division.Value);
                return $"{WarningDetector.LevelColumn(query.Division.Level)} = ${parameters.Count}" + CommonFilter(query, parameters, withMonths, "industry_class");
            },
            $"""
            count(*) FILTER (WHERE concluded = 1 AND action = 2), count(*) FILTER (WHERE action = 7),
            count(*) FILTER (WHERE concluded = 3), count(*) FILTER (WHERE concluded = 4),
            count(*) FILTER (WHERE action = 5), count(*) FILTER (WHERE action = 6),
            coalesce(avg(term_days) FILTER (WHERE {Concluding} AND term_days IS NOT NULL), 0)::float8,
            coalesce(avg(probation::int) FILTER (WHERE {Concluding}), 0)::float8
            """,
            "count(*)", "sum(opened::int - closed::int)::bigint", "(opened OR closed)");
    }

    /// <summary>
    /// The rollup's rows at the deeper of the filter's level and the grouping's: the filter's division itself, or its
    /// subtree as a range of codes (its prefix padded with 0s, with 9s). Grouped coarser than the filter, every row
    /// falls in the filter's own ancestor at that level. Averages and shares are the same numeric division the facts'
    /// avg() makes, from the summed terms and counts, so both sources answer alike to the last bit.
    /// </summary>
    private static Shape RollupShape(StatisticsQuery query)
    {
        var filterLevel = query.Division.Level;
        var level = query.GroupLevel is { } group && group > filterLevel ? group : filterLevel;
        var keys = new List<(string Expression, string Name)>();
        if (query.GroupLevel is { } groupLevel)
            keys.Add((groupLevel >= filterLevel ? "division" : $"'{query.Division.AtLevel(groupLevel).Value}'::text", "division"));
        AddOtherKeys(query, keys);
        return new Shape("monthly_rollup", keys, (parameters, withMonths) =>
            {
                string division;
                if (level == filterLevel)
                {
                    parameters.Add(query.Division.Value);
                    division = $"division = ${parameters.Count}";
                }
                else
                {
                    var prefix = query.Division.Value[..PrefixLength(filterLevel)];
                    parameters.Add(prefix.PadRight(12, '0'));
                    parameters.Add(prefix.PadRight(12, '9'));
                    division = $"division BETWEEN ${parameters.Count - 1} AND ${parameters.Count}";
                }
                return $"level = {(int)level} AND {division}" + CommonFilter(query, parameters, withMonths, null);
            },
            $"""
            coalesce(sum(events) FILTER (WHERE concluded = 1 AND action = 2), 0)::bigint, coalesce(sum(events) FILTER (WHERE action = 7), 0)::bigint,
            coalesce(sum(events) FILTER (WHERE concluded = 3), 0)::bigint, coalesce(sum(events) FILTER (WHERE concluded = 4), 0)::bigint,
            coalesce(sum(events) FILTER (WHERE action = 5), 0)::bigint, coalesce(sum(events) FILTER (WHERE action = 6), 0)::bigint,
            coalesce(sum(term_days) FILTER (WHERE {Concluding}) / nullif(sum(term_events) FILTER (WHERE {Concluding}), 0), 0)::float8,
            coalesce(sum(probation) FILTER (WHERE {Concluding}) / nullif(sum(events) FILTER (WHERE {Concluding}), 0), 0)::float8
            """,
            "sum(events)::bigint", "sum(opened - closed)::bigint", "(opened > 0 OR closed > 0)");
    }

    private static int PrefixLength(DivisionLevel level) => level switch
    {
        DivisionLevel.Province => 2,
        DivisionLevel.City => 4,
        DivisionLevel.County => 6,
        DivisionLevel.Town => 9,
        _ => 12,
    };

    private static void AddOtherKeys(StatisticsQuery query, List<(string Expression, string Name)> keys)
    {
        if (query.ByMonth) keys.Add(("month", "month"));
        if (query.BySection) keys.Add(("industry_section", "section"));
        if (query.ByEmployer) keys.Add(("employer_credit_code", "employer"));
    }

    /// <summary>Art. 14: for each worker at the employer, the trailing run of concluded fixed-term contracts (any other type resets it).</summary>
    public async Task<IReadOnlyList<(byte[] Worker, int Streak, string LastContract)>> FixedTermStreaksAsync(string employer, int minStreak, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"""
            SELECT worker_pseudonym, contract_type, contract_id FROM lifecycle_facts
            WHERE employer_credit_code = $1 AND {Concluding} ORDER BY worker_pseudonym, height, tx_index
            """, [employer]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var streaks = new List<(byte[], int, string)>();
        byte[]? worker = null;
        var streak = 0;
        var last = "";
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var next = (byte[])reader[0];
            if (worker is null || !worker.AsSpan().SequenceEqual(next))
            {
                if (worker is not null && streak >= minStreak) streaks.Add((worker, streak, last));
                worker = next;
                streak = 0;
            }
            streak = reader.GetInt16(1) == 1 ? streak + 1 : 0;
            last = reader.GetString(2);
        }
        if (worker is not null && streak >= minStreak) streaks.Add((worker, streak, last));
        return streaks;
    }

    /// <summary>The month range (the lower bound only <paramref name="withMonths"/>: in-force counts cumulate from the start), industry, contract type and employer.</summary>
    private static string CommonFilter(StatisticsQuery query, List<object> parameters, bool withMonths, string? classColumn)
    {
        var conditions = new StringBuilder();
        if (withMonths && query.FromMonth is { } from)
        {
            parameters.Add(from);
            conditions.Append(CultureInfo.InvariantCulture, $" AND month >= ${parameters.Count}");
        }
        if (query.ToMonth is { } to)
        {
            parameters.Add(to);
            conditions.Append(CultureInfo.InvariantCulture, $" AND month <= ${parameters.Count}");
        }
        if (query.Industry is { Length: > 0 } industry)
        {
            parameters.Add(industry);
            conditions.Append(CultureInfo.InvariantCulture, $" AND {(industry.Length == 1 ? "industry_section" : classColumn)} = ${parameters.Count}");
        }
        if (query.ContractType is { } type)
        {
            parameters.Add((short)type);
            conditions.Append(CultureInfo.InvariantCulture, $" AND contract_type = ${parameters.Count}");
        }
        if (query.Employer is { Length: > 0 } employer)
        {
            parameters.Add(employer);
            conditions.Append(CultureInfo.InvariantCulture, $" AND employer_credit_code = ${parameters.Count}");
        }
        return conditions.ToString();
    }

    private static async Task Breakdown(NpgsqlConnection connection, Shape shape, string filter, List<object> parameters, string column, string names,
        string condition, Dictionary<(string?, DateOnly?, string?, string?), StatisticsRow> rows, Action<StatisticsRow, string, long> add, CancellationToken cancellationToken)
    {
        var keys = shape.Keys;
        var select = string.Concat(keys.Select(k => $"{k.Expression}, "));
        var groupBy = string.Concat(keys.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture) + ", "));
        await using var command = Command(connection,
            $"""
            SELECT {select} n.name, {shape.Count} FROM {shape.Table} f JOIN {names} n ON n.code = f.{column}
            WHERE {condition} AND {filter} GROUP BY {groupBy} n.name
            """, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = ReadKey(reader, keys).Key;
            if (rows.TryGetValue(key, out var row)) add(row, reader.GetString(keys.Count), reader.GetInt64(keys.Count + 1));
        }
    }

    /// <summary>Contracts in force at the end of each row's month (or of the range): first conclusions less closures up to then.</summary>
    private static async Task InForce(NpgsqlConnection connection, StatisticsQuery query, Shape shape,
        Dictionary<(string?, DateOnly?, string?, string?), StatisticsRow> rows, CancellationToken cancellationToken)
    {
        var parameters = new List<object>();
        var filter = shape.Filter(parameters, false);
        var others = shape.Keys.Where(k => k.Name != "month").ToList();
        var select = string.Concat(others.Select(k => $"{k.Expression} AS {k.Name}, "));
        var groupBy = string.Concat(others.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture) + ", "));
        await using var command = Command(connection,
            $"""
            SELECT {select} month, {shape.InForceStep} FROM {shape.Table}
            WHERE {shape.InForceRows} AND {filter} GROUP BY {groupBy} month ORDER BY {groupBy} month
            """, parameters);
        var running = new Dictionary<(string?, string?, string?), (long Total, List<(DateOnly Month, long Total)> Steps)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = ReadKey(reader, others);
                var group = (key.Division, key.IndustrySection, key.Employer);
                var month = reader.GetFieldValue<DateOnly>(others.Count);
                var delta = reader.GetInt64(others.Count + 1);
                var entry = running.TryGetValue(group, out var found) ? found : (0L, new List<(DateOnly, long)>());
                entry.Item1 += delta;
                entry.Item2.Add((month, entry.Item1));
                running[group] = entry;
            }
        }
        foreach (var row in rows.Values)
        {
            if (!running.TryGetValue((row.Division, row.IndustrySection, row.Employer), out var entry)) continue;
            var until = row.Month ?? query.ToMonth ?? DateOnly.MaxValue;
            long total = 0;
            foreach (var (month, cumulative) in entry.Steps)
            {
                if (month > until) break;
                total = cumulative;
            }
            row.InForce = total;
        }
    }

    private static StatisticsRow ReadKey(NpgsqlDataReader reader, List<(string Expression, string Name)> keys)
    {
        var row = new StatisticsRow();
        for (var i = 0; i < keys.Count; i++)
        {
            row = keys[i].Name switch
            {
                "division" => row with { Division = reader.GetString(i) },
                "month" => row with { Month = reader.GetFieldValue<DateOnly>(i) },
                "section" => row with { IndustrySection = reader.GetString(i) },
                _ => row with { Employer = reader.GetString(i) },
            };
        }
        return row;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, IEnumerable<object> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}
