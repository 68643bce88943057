using Ledger.Analytics.Facts;
using Ledger.Analytics.Warnings;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Contracts;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Npgsql;
using NpgsqlTypes;

namespace Ledger.Analytics.Indexing;

/// <summary>
/// Writes a verified block into PostgreSQL in one transaction: its facts, the contracts and employers it changed, the
/// dimensions it names, the warnings it raises, and the height checkpoint. The checkpoint row is locked first and must
/// name the parent height, so a block is written once whatever crashes or races around it. The monthly rollup the
/// statistics read is kept in the same transaction; without it (<paramref name="rollup"/> false, to measure its cost) the
/// checkpoint records that the rollup is behind, and the statistics read the facts until <see cref="MonthlyRollup.RebuildAsync"/>.
/// </summary>
public sealed class FactStore(NpgsqlDataSource dataSource, string chainId, IndexScope scope, WarningOptions? warnings = null, bool rollup = true)
{
    private readonly FactExtractor _extractor = new(scope);
    private readonly WarningDetector _warnings = new(warnings ?? new WarningOptions());

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Applies the schema and the fixed dimensions; creates the checkpoint at height 0 for this chain and scope, or checks it.</summary>
    public async Task<IndexCheckpoint> InitializeAsync(CancellationToken cancellationToken = default)
    {
        await Schema.SchemaMigrator.MigrateAsync(dataSource, cancellationToken).ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var seed = new NpgsqlBatch(connection, transaction))
        {
            foreach (var value in Enum.GetValues<ContractAction>().Where(v => v != ContractAction.Unspecified))
                seed.BatchCommands.Add(Command("INSERT INTO actions VALUES ($1, $2) ON CONFLICT DO NOTHING", (short)value, Names.Kebab(value.ToString())));
            foreach (var value in Enum.GetValues<DissolutionBasis>())
                seed.BatchCommands.Add(Command("INSERT INTO dissolution_bases VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    (short)value, value == DissolutionBasis.Unspecified ? "withheld" : Names.Kebab(value.ToString()), value == DissolutionBasis.Art41Layoff));
            foreach (var value in Enum.GetValues<TerminationReason>().Where(v => v != TerminationReason.Unspecified))
                seed.BatchCommands.Add(Command("INSERT INTO termination_reasons VALUES ($1, $2) ON CONFLICT DO NOTHING", (short)value, Names.Kebab(value.ToString())));
            foreach (var value in Enum.GetValues<ContractType>().Where(v => v != ContractType.Unspecified))
                seed.BatchCommands.Add(Command("INSERT INTO contract_types VALUES ($1, $2) ON CONFLICT DO NOTHING", (short)value, Names.Kebab(value.ToString())));
            seed.BatchCommands.Add(Command("INSERT INTO index_checkpoint (chain_id, height, block_hash, block_time, scope) VALUES ($1, 0, $2, $3, $4) ON CONFLICT DO NOTHING",
                chainId, new byte[32], DateTimeOffset.UnixEpoch, scope.Name));
            await seed.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var checkpoint = await ReadCheckpoint(connection, transaction, false, cancellationToken).ConfigureAwait(false);
        if (checkpoint.ChainId != chainId)
            throw new AnalyticsException($"the database indexes chain {checkpoint.ChainId}, not {chainId}: give it a database of its own");
        if (checkpoint.Scope != scope.Name)
            throw new AnalyticsException($"the database was indexed as {checkpoint.Scope}, this identity reads as {scope.Name}: give it a database of its own");
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return checkpoint;
    }

    public async Task<IndexCheckpoint> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadCheckpoint(connection, null, false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a block the caller has verified. False when the block is already indexed (a retry after a lost answer);
    /// a gap is an <see cref="AnalyticsException"/>.
    /// </summary>
    public async Task<bool> WriteAsync(Block block, Hash32 blockHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        var height = block.Header.Height;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var checkpoint = await ReadCheckpoint(connection, transaction, true, cancellationToken).ConfigureAwait(false);
        if (checkpoint.Height >= height) return false;
        if (checkpoint.Height + 1 != height)
            throw new AnalyticsException($"block {height} does not follow the last indexed block {checkpoint.Height}");
        if (checkpoint.Height > 0 && block.Header.PrevHash != checkpoint.BlockHash)
            throw new LedgerException(ErrorCode.BlockParentMismatch, $"block {height} names parent {block.Header.PrevHash}, the indexed block {checkpoint.Height} is {checkpoint.BlockHash}");

        var contracts = await LoadContracts(connection, transaction, FactExtractor.ContractIds(block), cancellationToken).ConfigureAwait(false);
        var facts = _extractor.Extract(block, contracts);
        await WriteContracts(connection, transaction, facts.Touched.Values, cancellationToken).ConfigureAwait(false);
        await WriteFacts(connection, transaction, facts.Facts, cancellationToken).ConfigureAwait(false);
        await WriteDimensions(connection, transaction, facts.Facts, (long)height, cancellationToken).ConfigureAwait(false);
        if (rollup) await MonthlyRollup.AddAsync(connection, transaction, facts.Facts, cancellationToken).ConfigureAwait(false);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(block.Header.Timestamp);
        await WarningDetector.CountClosuresAsync(connection, transaction, facts.Facts, cancellationToken).ConfigureAwait(false);
        await _warnings.DetectAsync(connection, transaction, facts.Facts, (long)height, time, checkpoint.BlockTime, cancellationToken).ConfigureAwait(false);

        await using (var advance = new NpgsqlCommand("UPDATE index_checkpoint SET height = $1, block_hash = $2, block_time = $3, rollup = rollup AND $4", connection, transaction))
        {
            advance.Parameters.Add(new NpgsqlParameter { Value = (long)height });
            advance.Parameters.Add(new NpgsqlParameter { Value = blockHash.ToArray() });
            advance.Parameters.Add(new NpgsqlParameter { Value = time });
            advance.Parameters.Add(new NpgsqlParameter { Value = rollup });
            await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<IndexCheckpoint> ReadCheckpoint(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT chain_id, height, block_hash, block_time, scope FROM index_checkpoint" + (forUpdate ? " FOR UPDATE" : ""), connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new AnalyticsException("the database has no index checkpoint: it was not initialised by the indexer");
        return new IndexCheckpoint(reader.GetString(0), (ulong)reader.GetInt64(1), new Hash32((byte[])reader[2]),
            reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4));
    }

    private static async Task<Dictionary<string, ContractState>> LoadContracts(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var contracts = new Dictionary<string, ContractState>(StringComparer.Ordinal);
        if (ids.Count == 0) return contracts;
        await using var command = new NpgsqlCommand(
            """
            SELECT contract_id, employer_credit_code, worker_pseudonym, status, latest_version, latest_created_by, latest_employer_signed,
                   latest_worker_signed, effective_version, contract_type, start_date, end_date, probation_end, place_of_work, industry, paper,
                   concluded_at, closed_at
            FROM contracts WHERE contract_id = ANY($1)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var contract = new ContractState
            {
                ContractId = reader.GetString(0),
                EmployerCreditCode = reader.GetString(1),
                WorkerPseudonym = (byte[])reader[2],
                Status = (ContractStatus)reader.GetInt16(3),
                LatestVersion = reader.GetInt32(4),
                LatestCreatedBy = (ContractAction)reader.GetInt16(5),
                LatestEmployerSigned = reader.GetBoolean(6),
                LatestWorkerSigned = reader.GetBoolean(7),
                EffectiveVersion = reader.GetInt32(8),
                Type = (ContractType)reader.GetInt16(9),
                Start = reader.GetFieldValue<DateOnly>(10),
                End = reader.IsDBNull(11) ? null : reader.GetFieldValue<DateOnly>(11),
                ProbationEnd = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateOnly>(12),
                PlaceOfWork = reader.GetString(13),
                Industry = reader.GetString(14),
                Paper = reader.GetBoolean(15),
                ConcludedAt = reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
                ClosedAt = reader.IsDBNull(17) ? null : reader.GetFieldValue<DateTimeOffset>(17),
            };
            contracts[contract.ContractId] = contract;
        }
        return contracts;
    }

    private static async Task WriteContracts(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<ContractState> touched, CancellationToken cancellationToken)
    {
        await using (var stage = new NpgsqlCommand("CREATE TEMP TABLE IF NOT EXISTS contracts_stage (LIKE contracts) ON COMMIT DELETE ROWS", connection, transaction))
            await stage.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var any = false;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY contracts_stage FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var c in touched)
            {
                any = true;
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.ContractId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.EmployerCreditCode, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.WorkerPseudonym, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((short)c.Status, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.LatestVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((short)c.LatestCreatedBy, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.LatestEmployerSigned, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.LatestWorkerSigned, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.EffectiveVersion, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((short)c.Type, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Start, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
                await WriteNullable(copy, c.End, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
                await WriteNullable(copy, c.ProbationEnd, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.PlaceOfWork, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Industry, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(c.Paper, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await WriteNullable(copy, c.ConcludedAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await WriteNullable(copy, c.ClosedAt, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            }
            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        if (!any) return;
        await using var upsert = new NpgsqlCommand(
            """
            INSERT INTO contracts SELECT * FROM contracts_stage
            ON CONFLICT (contract_id) DO UPDATE SET
                status = EXCLUDED.status, latest_version = EXCLUDED.latest_version, latest_created_by = EXCLUDED.latest_created_by,
                latest_employer_signed = EXCLUDED.latest_employer_signed, latest_worker_signed = EXCLUDED.latest_worker_signed,
                effective_version = EXCLUDED.effective_version, contract_type = EXCLUDED.contract_type, start_date = EXCLUDED.start_date,
                end_date = EXCLUDED.end_date, probation_end = EXCLUDED.probation_end, place_of_work = EXCLUDED.place_of_work,
                industry = EXCLUDED.industry, concluded_at = EXCLUDED.concluded_at, closed_at = EXCLUDED.closed_at
            """, connection, transaction);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteFacts(NpgsqlConnection connection, NpgsqlTransaction transaction, List<LifecycleFact> facts, CancellationToken cancellationToken)
    {
        if (facts.Count == 0) return;
        await using var copy = await connection.BeginBinaryImportAsync(
            """
            COPY lifecycle_facts (height, tx_index, tx_id, block_time, month, action, contract_id, version, employer_credit_code,
                province, city, county, town, village, industry_section, industry_class, contract_type, probation, term_days, basis, reason,
                effective_date, worker_pseudonym, employer_signed, worker_signed, concluded, opened, closed) FROM STDIN (FORMAT BINARY)
            """, cancellationToken).ConfigureAwait(false);
        foreach (var f in facts)
        {
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Height, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.TxIndex, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.TxId, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.BlockTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Month, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)f.Action, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.ContractId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Version, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.EmployerCreditCode, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Division.Province, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Division.City, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Division.County, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Division.Town, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Division.Village, NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.IndustrySection.ToString(), NpgsqlDbType.Char, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.IndustryClass, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)f.ContractType, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Probation, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await WriteNullable(copy, f.TermDays, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await WriteNullable(copy, f.Basis is { } basis ? (short?)basis : null, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await WriteNullable(copy, f.Reason is { } reason ? (short?)reason : null, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await WriteNullable(copy, f.EffectiveDate, NpgsqlDbType.Date, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.WorkerPseudonym, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.EmployerSigned, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.WorkerSigned, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)f.Concluded, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Opened, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(f.Closed, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
        }
        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Divisions (all five levels), industries and employers the facts name; employers' in-force counts move with the facts.</summary>
    private static async Task WriteDimensions(NpgsqlConnection connection, NpgsqlTransaction transaction, List<LifecycleFact> facts, long height, CancellationToken cancellationToken)
    {
        if (facts.Count == 0) return;
        var divisions = new Dictionary<string, (short Level, string? Parent)>(StringComparer.Ordinal);
        foreach (var path in facts.Select(f => f.Division).Distinct())
        {
            divisions.TryAdd(path.Province, (1, null));
            divisions.TryAdd(path.City, (2, path.Province));
            if (path.County != path.City) divisions.TryAdd(path.County, (3, path.City));
            if (path.Town != path.County) divisions.TryAdd(path.Town, (4, path.County));
            if (path.Village != path.Town) divisions.TryAdd(path.Village, (5, path.Town));
        }
        var industries = facts.Select(f => (f.IndustryClass, f.IndustrySection)).Distinct().ToArray();
        var employers = facts.GroupBy(f => f.EmployerCreditCode, StringComparer.Ordinal)
            .Select(g => (Code: g.Key, Delta: g.Count(f => f.Opened) - g.Count(f => f.Closed)))
            .OrderBy(e => e.Code, StringComparer.Ordinal)
            .ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command("INSERT INTO divisions SELECT * FROM unnest($1::char(12)[], $2::smallint[], $3::char(12)[]) ON CONFLICT DO NOTHING",
            divisions.Keys.ToArray(), divisions.Values.Select(v => v.Level).ToArray(), divisions.Values.Select(v => v.Parent).ToArray()));
        batch.BatchCommands.Add(Command("INSERT INTO industries SELECT * FROM unnest($1::text[], $2::char(1)[]) ON CONFLICT DO NOTHING",
            industries.Select(i => i.IndustryClass).ToArray(), industries.Select(i => i.IndustrySection.ToString()).ToArray()));
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO employers (credit_code, registered_division, in_force, first_height)
            SELECT code, rpad(substr(code, 3, 6), 12, '0'), delta, $3 FROM unnest($1::char(18)[], $2::int[]) AS e(code, delta)
            ON CONFLICT (credit_code) DO UPDATE SET in_force = employers.in_force + EXCLUDED.in_force
            """, employers.Select(e => e.Code).ToArray(), employers.Select(e => e.Delta).ToArray(), height));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    internal static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
