using System.Globalization;
using Ledger.Analytics.Facts;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Npgsql;

namespace Ledger.Analytics.Warnings;

/// <summary>
/// Raises warnings inside the block's own transaction, from the facts already written, so a warning is committed with
/// the block that crossed its threshold — never twice, never lost. A warning of a kind is not raised again for the same
/// employer (or division) while an earlier one's window is still open.
/// </summary>
public sealed class WarningDetector(WarningOptions options)
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public WarningOptions Options => options;

    public async Task DetectAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LifecycleFact> facts, long height, DateTimeOffset time,
        DateTimeOffset previousBlockTime, CancellationToken cancellationToken)
    {
        var layoffEmployers = facts.Where(f => f.Basis == DissolutionBasis.Art41Layoff).Select(f => f.EmployerCreditCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var employer in layoffEmployers)
            await Layoffs(connection, transaction, employer, height, time, cancellationToken).ConfigureAwait(false);
        if (time.ToOffset(ChinaOffset).Date != previousBlockTime.ToOffset(ChinaOffset).Date)
            await Rates(connection, transaction, height, time, cancellationToken).ConfigureAwait(false);
    }

    private async Task Layoffs(NpgsqlConnection connection, NpgsqlTransaction transaction, string employer, long height, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var windowStart = time - options.LayoffWindow;
        await using (var open = Command(connection, transaction,
            "SELECT 1 FROM warnings WHERE kind IN ('art41_count', 'art41_share') AND employer_credit_code = $1 AND raised_at > $2", employer, windowStart))
            if (await open.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null) return;
        int count, inForce;
        await using (var counts = Command(connection, transaction,
            """
            SELECT (SELECT count(*) FROM lifecycle_facts WHERE employer_credit_code = $1 AND basis = 15 AND block_time > $2 AND block_time <= $3)::int,
                   (SELECT in_force FROM employers WHERE credit_code = $1)
            """, employer, windowStart, time))
        await using (var reader = await counts.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            count = reader.GetInt32(0);
            inForce = reader.IsDBNull(1) ? 0 : reader.GetInt32(1);
        }
        var workforce = inForce + count;
        string kind;
        if (count >= options.LayoffCount) kind = "art41_count";
        else if (count > 0 && count * 100L >= (long)options.LayoffSharePercent * workforce) kind = "art41_share";
        else return;
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"{count} dissolutions for economic reasons (art. 41) within {options.LayoffWindow.TotalDays:0} days of a workforce of {workforce}");
        var id = await Insert(connection, transaction, kind, RegisteredDivision(employer), employer, height, time, windowStart, count, workforce, detail, cancellationToken).ConfigureAwait(false);
        await using var evidence = Command(connection, transaction,
            """
            INSERT INTO warning_evidence (warning_id, contract_id, tx_id, height, tx_index)
            SELECT $1, contract_id, tx_id, height, tx_index FROM lifecycle_facts
            WHERE employer_credit_code = $2 AND basis = 15 AND block_time > $3 AND block_time <= $4
            """, id, employer, windowStart, time);
        await evidence.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task Rates(NpgsqlConnection connection, NpgsqlTransaction transaction, long height, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var column = LevelColumn(options.RateLevel);
        var recentStart = time - options.RateWindow;
        var baselineStart = recentStart - options.RateWindow * options.BaselineWindows;
        var rising = new List<(string Division, int Recent, int Earlier)>();
        var today = DayOf(time);
        var recentFrom = DayOf(recentStart);
        var baselineFrom = DayOf(baselineStart);
        await using (var query = Command(connection, transaction,
            """
            SELECT division, sum(closures) FILTER (WHERE day > $2)::int AS recent, coalesce(sum(closures) FILTER (WHERE day <= $2), 0)::int AS earlier
            FROM daily_closures WHERE level = $1 AND day > $3 AND day <= $4
            GROUP BY division ORDER BY division
            """, (short)options.RateLevel, recentFrom, baselineFrom, today))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.IsDBNull(1)) continue;
                var (division, recent, earlier) = (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
                // recent ≥ rise% × (earlier / windows), in integers.
                if (recent >= options.RateMinimum && earlier > 0 && recent * 100L * options.BaselineWindows >= (long)options.RateRisePercent * earlier)
                    rising.Add((division, recent, earlier));
            }
        }
        foreach (var (division, recent, earlier) in rising)
        {
            await using (var open = Command(connection, transaction,
                "SELECT 1 FROM warnings WHERE kind = 'closure_rate' AND division = $1 AND raised_at > $2", division, recentStart))
                if (await open.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null) continue;
            var baselinePer100 = (int)(earlier * 100L / options.BaselineWindows);
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"{recent} dissolutions and terminations in the last {options.RateWindow.TotalDays:0} days against a baseline of {baselinePer100 / 100.0:0.##} per {options.RateWindow.TotalDays:0} days over the {options.BaselineWindows} windows before");
            var id = await Insert(connection, transaction, "closure_rate", division, null, height, time, recentStart, recent, baselinePer100, detail, cancellationToken).ConfigureAwait(false);
            await using var evidence = Command(connection, transaction,
                $"""
                INSERT INTO warning_evidence (warning_id, contract_id, tx_id, height, tx_index)
                SELECT $1, contract_id, tx_id, height, tx_index FROM lifecycle_facts
                WHERE closed AND {column} = $2 AND block_time > $3 AND block_time <= $4
                """, id, division, recentStart, time);
            await evidence.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<long> Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, string kind, string division, string? employer, long height,
        DateTimeOffset time, DateTimeOffset windowStart, int observed, int reference, string detail, CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction,
            """
            INSERT INTO warnings (kind, division, employer_credit_code, raised_height, raised_at, window_start, observed, reference, detail)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """, kind, division, employer, height, time, windowStart, observed, reference, detail);
        return (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Counts the block's closures per day and division at every level, for the rate check.</summary>
    public static async Task CountClosuresAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LifecycleFact> facts, CancellationToken cancellationToken)
    {
        var counts = facts.Where(f => f.Closed)
            .SelectMany(f => Enum.GetValues<DivisionLevel>().Select(level => (Level: (short)level, Division: f.Division.At(level), Day: DayOf(f.BlockTime))))
            .GroupBy(k => k)
            .OrderBy(g => g.Key.Level).ThenBy(g => g.Key.Division, StringComparer.Ordinal).ThenBy(g => g.Key.Day)
            .ToArray();
        if (counts.Length == 0) return;
        await using var upsert = Command(connection, transaction,
            """
            INSERT INTO daily_closures SELECT * FROM unnest($1::smallint[], $2::char(12)[], $3::date[], $4::int[])
            ON CONFLICT (level, division, day) DO UPDATE SET closures = daily_closures.closures + EXCLUDED.closures
            """, counts.Select(g => g.Key.Level).ToArray(), counts.Select(g => g.Key.Division).ToArray(), counts.Select(g => g.Key.Day).ToArray(),
            counts.Select(g => g.Count()).ToArray());
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.ToOffset(ChinaOffset).DateTime);

    /// <summary>Digits 3-8 of the credit code: the county where the employer is registered.</summary>
    public static string RegisteredDivision(string creditCode) => creditCode.Substring(2, 6).PadRight(12, '0');

    public static string LevelColumn(DivisionLevel level) => level switch
    {
        DivisionLevel.Province => "province",
        DivisionLevel.City => "city",
        DivisionLevel.County => "county",
        DivisionLevel.Town => "town",
        DivisionLevel.Village => "village",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
