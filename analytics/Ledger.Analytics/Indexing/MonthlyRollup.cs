using Ledger.Analytics.Facts;
using Ledger.Core.Identity;
using Npgsql;

namespace Ledger.Analytics.Indexing;

/// <summary>
/// The <c>monthly_rollup</c> table (migration 3): a block's facts summed per level × division × month × industry section ×
/// contract type × (action, concluded, basis, reason) and added to it inside the block's transaction.
/// </summary>
public static class MonthlyRollup
{
    /// <summary>
    /// The rollup computed from <c>lifecycle_facts</c> alone, in the table's column order: what migration 3 backfills, what a
    /// rebuild inserts, and what the tests hold the indexer's running rollup to.
    /// </summary>
    public const string FromFactsSql =
        """
        SELECT l.level, CASE l.level WHEN 1 THEN f.province WHEN 2 THEN f.city WHEN 3 THEN f.county WHEN 4 THEN f.town ELSE f.village END,
               f.month, f.industry_section, f.contract_type, f.action, f.concluded, coalesce(f.basis, -1), coalesce(f.reason, -1),
               count(*), count(f.term_days), coalesce(sum(f.term_days), 0), count(*) FILTER (WHERE f.probation),
               count(*) FILTER (WHERE f.opened), count(*) FILTER (WHERE f.closed)
        FROM lifecycle_facts f CROSS JOIN (VALUES (1::smallint), (2::smallint), (3::smallint), (4::smallint), (5::smallint)) AS l(level)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        """;

    private readonly record struct Key(short Level, string Division, DateOnly Month, char Section, short Type, short Action, short Concluded, short Basis, short Reason);

    /// <summary>Adds the facts' sums to the rollup (one upsert for the block, keys in order so concurrent writers cannot deadlock).</summary>
    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LifecycleFact> facts, CancellationToken cancellationToken)
    {
        if (facts.Count == 0) return;
        var sums = new Dictionary<Key, long[]>();
        foreach (var f in facts)
        {
            foreach (var level in Enum.GetValues<DivisionLevel>())
            {
                var key = new Key((short)level, f.Division.At(level), f.Month, f.IndustrySection, (short)f.ContractType, (short)f.Action, (short)f.Concluded,
                    f.Basis is { } basis ? (short)basis : (short)-1, f.Reason is { } reason ? (short)reason : (short)-1);
                if (!sums.TryGetValue(key, out var s)) sums[key] = s = new long[6];
                s[0]++;
                if (f.TermDays is { } term)
                {
                    s[1]++;
                    s[2] += term;
                }
                if (f.Probation) s[3]++;
                if (f.Opened) s[4]++;
                if (f.Closed) s[5]++;
            }
        }
        var rows = sums.OrderBy(p => p.Key.Level).ThenBy(p => p.Key.Division, StringComparer.Ordinal).ThenBy(p => p.Key.Month).ThenBy(p => p.Key.Section)
            .ThenBy(p => p.Key.Type).ThenBy(p => p.Key.Action).ThenBy(p => p.Key.Concluded).ThenBy(p => p.Key.Basis).ThenBy(p => p.Key.Reason).ToArray();
        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO monthly_rollup
            SELECT * FROM unnest($1::smallint[], $2::char(12)[], $3::date[], $4::char(1)[], $5::smallint[], $6::smallint[], $7::smallint[], $8::smallint[], $9::smallint[],
                                 $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[])
            ON CONFLICT (level, division, month, industry_section, contract_type, action, concluded, basis, reason) DO UPDATE SET
                events = monthly_rollup.events + EXCLUDED.events, term_events = monthly_rollup.term_events + EXCLUDED.term_events,
                term_days = monthly_rollup.term_days + EXCLUDED.term_days, probation = monthly_rollup.probation + EXCLUDED.probation,
                opened = monthly_rollup.opened + EXCLUDED.opened, closed = monthly_rollup.closed + EXCLUDED.closed
            """, connection, transaction);
        void Add<T>(Func<KeyValuePair<Key, long[]>, T> column) => upsert.Parameters.Add(new NpgsqlParameter { Value = rows.Select(column).ToArray() });
        Add(p => p.Key.Level);
        Add(p => p.Key.Division);
        Add(p => p.Key.Month);
        Add(p => p.Key.Section.ToString());
        Add(p => p.Key.Type);
        Add(p => p.Key.Action);
        Add(p => p.Key.Concluded);
        Add(p => p.Key.Basis);
        Add(p => p.Key.Reason);
        for (var i = 0; i < 6; i++)
        {
            var measure = i;
            Add(p => p.Value[measure]);
        }
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Recomputes the whole rollup from the facts (after facts were written by other means than the indexer) and marks it maintained.</summary>
    public static async Task RebuildAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(
            $"LOCK index_checkpoint; TRUNCATE monthly_rollup; INSERT INTO monthly_rollup {FromFactsSql}; UPDATE index_checkpoint SET rollup = true",
            connection, transaction) { CommandTimeout = 0 })
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
