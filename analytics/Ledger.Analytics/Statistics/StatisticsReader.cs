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

    public async Task<IReadOnlyList<StatisticsRow>> QueryAsync(StatisticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var keys = new List<(string Expression, string Name)>();
        if (query.GroupLevel is { } level) keys.Add((WarningDetector.LevelColumn(level), "division"));
        if (query.ByMonth) keys.Add(("month", "month"));
        if (query.BySection) keys.Add(("industry_section", "section"));
        if (query.ByEmployer) keys.Add(("employer_credit_code", "employer"));
        var parameters = new List<object>();
        var filter = Filter(query, parameters, withMonths: true);
        var select = keys.Count == 0 ? "" : string.Join(", ", keys.Select(k => $"{k.Expression} AS {k.Name}")) + ", ";
        var groupBy = keys.Count == 0 ? "" : " GROUP BY " + string.Join(", ", keys.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture)));
        var rows = new Dictionary<(string?, DateOnly?, string?, string?), StatisticsRow>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = Command(connection,
            $"""
            SELECT {select}
                count(*) FILTER (WHERE concluded = 1 AND action = 2), count(*) FILTER (WHERE action = 7),
                count(*) FILTER (WHERE concluded = 3), count(*) FILTER (WHERE concluded = 4),
                count(*) FILTER (WHERE action = 5), count(*) FILTER (WHERE action = 6),
                coalesce(avg(term_days) FILTER (WHERE {Concluding} AND term_days IS NOT NULL), 0)::float8,
                coalesce(avg(probation::int) FILTER (WHERE {Concluding}), 0)::float8
            FROM lifecycle_facts WHERE {filter}{groupBy}
            """, parameters))
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
        await Breakdown(connection, keys, filter, parameters, "basis", "dissolution_bases", "action = 5", rows, (r, name, n) => r.DissolvedByBasis[name] = n, cancellationToken).ConfigureAwait(false);
        await Breakdown(connection, keys, filter, parameters, "reason", "termination_reasons", "action = 6", rows, (r, name, n) => r.TerminatedByReason[name] = n, cancellationToken).ConfigureAwait(false);
        await InForce(connection, query, keys, rows, cancellationToken).ConfigureAwait(false);
        return rows.Values.OrderBy(r => r.Division, StringComparer.Ordinal).ThenBy(r => r.Month).ThenBy(r => r.IndustrySection, StringComparer.Ordinal)
            .ThenBy(r => r.Employer, StringComparer.Ordinal).ToArray();
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

    private static string Filter(StatisticsQuery query, List<object> parameters, bool withMonths)
    {
        var conditions = new StringBuilder();
        parameters.Add(query.Division.Value);
        conditions.Append(CultureInfo.InvariantCulture, $"{WarningDetector.LevelColumn(query.Division.Level)} = ${parameters.Count}");
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
            conditions.Append(CultureInfo.InvariantCulture, $" AND {(industry.Length == 1 ? "industry_section" : "industry_class")} = ${parameters.Count}");
        }
        if (query.Employer is { Length: > 0 } employer)
        {
            parameters.Add(employer);
            conditions.Append(CultureInfo.InvariantCulture, $" AND employer_credit_code = ${parameters.Count}");
        }
        return conditions.ToString();
    }

    private static async Task Breakdown(NpgsqlConnection connection, List<(string Expression, string Name)> keys, string filter, List<object> parameters, string column, string names,
        string condition, Dictionary<(string?, DateOnly?, string?, string?), StatisticsRow> rows, Action<StatisticsRow, string, long> add, CancellationToken cancellationToken)
    {
        var select = string.Concat(keys.Select(k => $"{k.Expression}, "));
        var groupBy = string.Concat(keys.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture) + ", "));
        await using var command = Command(connection,
            $"""
            SELECT {select} n.name, count(*) FROM lifecycle_facts f JOIN {names} n ON n.code = f.{column}
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
    private static async Task InForce(NpgsqlConnection connection, StatisticsQuery query, List<(string Expression, string Name)> keys,
        Dictionary<(string?, DateOnly?, string?, string?), StatisticsRow> rows, CancellationToken cancellationToken)
    {
        var parameters = new List<object>();
        var filter = Filter(query, parameters, withMonths: false);
        var others = keys.Where(k => k.Name != "month").ToList();
        var select = string.Concat(others.Select(k => $"{k.Expression} AS {k.Name}, "));
        var groupBy = string.Concat(others.Select((_, i) => (i + 1).ToString(CultureInfo.InvariantCulture) + ", "));
        await using var command = Command(connection,
            $"""
            SELECT {select} month, sum(opened::int - closed::int)::bigint FROM lifecycle_facts
            WHERE (opened OR closed) AND {filter} GROUP BY {groupBy} month ORDER BY {groupBy} month
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
