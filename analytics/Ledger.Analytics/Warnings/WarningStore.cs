using Ledger.Core;
using Ledger.Core.Identity;
using Npgsql;

namespace Ledger.Analytics.Warnings;

/// <summary>Reads warnings of a division subtree and records a bureau's acknowledgement.</summary>
public sealed class WarningStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<WarningRecord>> ListAsync(DivisionCode division, bool unacknowledgedOnly, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<long>();
        await using (var command = new NpgsqlCommand(
            $"SELECT id FROM warnings WHERE left(division, $1) = left($2, $1) {(unacknowledgedOnly ? "AND acknowledged_at IS NULL" : "")} ORDER BY raised_height DESC, id DESC LIMIT $3", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Digits(division) });
            command.Parameters.Add(new NpgsqlParameter { Value = division.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetInt64(0));
        }
        var warnings = new List<WarningRecord>();
        foreach (var id in ids)
            if (await ReadAsync(connection, id, cancellationToken).ConfigureAwait(false) is { } warning) warnings.Add(warning);
        return warnings;
    }

    public async Task<WarningRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the acknowledgement once (a second one keeps the first); answers the warning.</summary>
    public async Task<WarningRecord?> AcknowledgeAsync(long id, string bureau, Hash32 certificateId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(
            "UPDATE warnings SET acknowledged_at = $2, acknowledged_by = $3, acknowledged_by_id = $4 WHERE id = $1 AND acknowledged_at IS NULL", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            command.Parameters.Add(new NpgsqlParameter { Value = at });
            command.Parameters.Add(new NpgsqlParameter { Value = bureau });
            command.Parameters.Add(new NpgsqlParameter { Value = certificateId.ToArray() });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return await ReadAsync(connection, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many leading digits name a division at its level: 2, 4, 6, 9 or 12.</summary>
    public static int Digits(DivisionCode division) => division.Level switch
    {
        DivisionLevel.Province => 2,
        DivisionLevel.City => 4,
        DivisionLevel.County => 6,
        DivisionLevel.Town => 9,
        _ => 12,
    };

    private static async Task<WarningRecord?> ReadAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        WarningRecord? warning;
        await using (var command = new NpgsqlCommand(
            """
            SELECT id, kind, division, employer_credit_code, raised_height, raised_at, window_start, observed, reference, detail, acknowledged_at, acknowledged_by
            FROM warnings WHERE id = $1
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            warning = new WarningRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetString(11), []);
        }
        var evidence = new List<WarningEvidenceRow>();
        await using (var command = new NpgsqlCommand("SELECT contract_id, tx_id, height, tx_index FROM warning_evidence WHERE warning_id = $1 ORDER BY height, tx_index", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                evidence.Add(new WarningEvidenceRow(reader.GetString(0), (byte[])reader[1], reader.GetInt64(2), reader.GetInt32(3)));
        }
        return warning with { Evidence = evidence };
    }
}
