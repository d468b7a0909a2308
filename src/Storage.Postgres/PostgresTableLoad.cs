using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// One table of a <see cref="PostgresBulkLoad"/>: its records written with <see cref="WriteAsync"/> into one binary
/// COPY, then <see cref="BuildAsync"/> ends the COPY, removes the rows whose references or unique values do not hold,
/// adds the constraints again, lists the secondary indexes to build after the commit
/// (<see cref="PostgresBulkLoad.BuildIndexesAsync"/>), and analyzes the table. Nothing is visible before the bulk
/// load commits. A failure or a cancellation rolls the whole bulk load back at once.
/// </summary>
/// <typeparam name="T">The record type of the table.</typeparam>
public sealed class PostgresTableLoad<T> : ITableLoad
{
    private const string Savepoint = "bulk_load_constraints";

    /// <summary>How long one write or the end of the COPY may wait for the server.</summary>
    private static readonly TimeSpan CopyTimeout = TimeSpan.FromHours(1);

    private readonly PostgresBulkLoad _load;
    private readonly PostgresBulkLoadTable<T> _table;
    private readonly PostgresBulkLoadRestore _restore;
    private readonly List<PostgresBulkLoadRejection<T>> _rejected = [];
    private PostgresCopyWriter? _writer;

    internal PostgresTableLoad(PostgresBulkLoad load, PostgresBulkLoadTable<T> table, PostgresBulkLoadRestore restore)
    {
        _load = load;
        _table = table;
        _restore = restore;
    }

    /// <summary>The table being loaded.</summary>
    public string Table => _table.Name;

    /// <summary>Rows written into the COPY so far (records refused by validation are not counted).</summary>
    public long Rows { get; private set; }

    /// <summary>Whether <see cref="BuildAsync"/> has run: no more rows can be written.</summary>
    public bool IsBuilt { get; private set; }

    /// <summary>Validates and writes <paramref name="records"/>; one that fails validation is left out (and reported by <see cref="BuildAsync"/>).</summary>
    /// <exception cref="ObjectDisposedException">The bulk load was committed or rolled back.</exception>
    /// <exception cref="InvalidOperationException">The table is built already.</exception>
    /// <exception cref="NpgsqlException">The server failed the load; everything is rolled back.</exception>
    public async Task WriteAsync(IReadOnlyList<T> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ThrowIfBuilt();
        await RollBackOnFailureAsync(async () =>
        {
            // Ending the COPY runs the statement triggers over every row (asset totals, task counts): far longer than
            // a command's 30 s may pass. (A zero timeout, "none" for a command, made the COPY's reads fail.)
            _writer ??= await PostgresCopyWriter.BeginAsync(_load.Connection, _table.CopySql, CopyTimeout, cancellationToken);

            foreach (var record in records)
            {
                T normalized;
                try
                {
                    normalized = _table.Normalize(record);
                }
                catch (StorageValidationException ex)
                {
                    _rejected.Add(new(record, ex.Message));
                    continue;
                }

                _writer.StartRow();
                _table.WriteRow(_writer, normalized);
                await _writer.EndRowAsync(cancellationToken);
                Rows++;
            }

            return 0;
        }, cancellationToken);
    }

    /// <summary>
    /// Ends the COPY, removes the rows whose references or unique values do not hold, adds the constraints, lists the
    /// secondary indexes to build after the commit, and analyzes the table. Returns the records left out, with why (the
    /// imports' messages).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The bulk load was committed or rolled back.</exception>
    /// <exception cref="InvalidOperationException">The table is built already.</exception>
    /// <exception cref="NpgsqlException">The server failed the load; everything is rolled back.</exception>
    public async Task<IReadOnlyList<PostgresBulkLoadRejection<T>>> BuildAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfBuilt();
        IsBuilt = true;
        return await RollBackOnFailureAsync(async () =>
        {
            if (_writer is not null)
            {
                // Ending the COPY runs the table's statement triggers over every row. The end takes no cancellation
                // (and Npgsql meets a cancellation of a COPY by dropping the connection, which leaves the server running
                // them, the tables locked, until it notices); the server is asked to stop instead, and the failure that
                // follows is the cancellation.
                await using (cancellationToken.Register(_load.CancelServerWork))
                {
                    await _writer.CompleteAsync(CancellationToken.None);
                }

                _writer = null;
            }

            var transaction = _load.Transaction;
            await transaction.SaveAsync(Savepoint, cancellationToken);
            try
            {
                await ExecuteAllAsync(_restore.AddConstraints, cancellationToken);
            }
            catch (PostgresException ex) when (_table.RejectSql is not null
                && ex.SqlState is PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.UniqueViolation)
            {
                await transaction.RollbackAsync(Savepoint, cancellationToken);
                await RejectAsync(cancellationToken);
                await ExecuteAllAsync(_restore.AddConstraints, cancellationToken);
            }

            await transaction.ReleaseAsync(Savepoint, cancellationToken);
            foreach (var (name, definition) in _restore.CreateIndexes)
            {
                // A unique index is a rule the rows must keep: built now, so that rows breaking it fail the load. So is
                // every index when the list of builds is not to be trusted.
                if (!_load.DefersIndexes || definition.StartsWith("CREATE UNIQUE INDEX ", StringComparison.Ordinal))
                {
                    await ExecuteAsync(definition, cancellationToken);
                }
                else
                {
                    await _load.QueueIndexBuildAsync(Table, name, definition, cancellationToken);
                }
            }

            await ExecuteAsync($"ANALYZE {_table.Name}", cancellationToken);
            return (IReadOnlyList<PostgresBulkLoadRejection<T>>)_rejected;
        }, cancellationToken);
    }

    /// <summary>
    /// The first <paramref name="count"/> records the table holds once built, in key order: those of this load it kept
    /// (the table was empty when taken).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The bulk load was committed or rolled back.</exception>
    /// <exception cref="InvalidOperationException">The table is not built yet, or a later table's COPY is open.</exception>
    /// <exception cref="NpgsqlException">The server failed the read; everything is rolled back.</exception>
    public async Task<IReadOnlyList<T>> ReadFirstAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _load.ThrowIfDisposed();
        if (!IsBuilt)
        {
            throw new InvalidOperationException($"The bulk load of {Table} is not built yet.");
        }

        _load.ThrowIfUnbuilt();

        return await RollBackOnFailureAsync(
            async () => (IReadOnlyList<T>)await _load.Connection.ListAsync(_table.FirstSql, new { Limit = count }, _table.Read, cancellationToken),
            cancellationToken);
    }

    /// <inheritdoc/>
    async ValueTask ITableLoad.CloseAsync()
    {
        try
        {
            if (_writer is not null)
            {
                // Cancels the COPY (CopyFail) unless it was completed: its rows are never kept.
                await _writer.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            // The COPY was cancelled or its connection is gone; closing the connection rolls the rest back.
        }

        _writer = null;
    }

    private void ThrowIfBuilt()
    {
        _load.ThrowIfDisposed();
        if (IsBuilt)
        {
            throw new InvalidOperationException($"The bulk load of {Table} is built: no more rows can be written.");
        }
    }

    /// <summary>Runs <paramref name="work"/>; any failure rolls the whole bulk load back. A failure after a cancellation was asked is the cancellation.</summary>
    private async Task<TResult> RollBackOnFailureAsync<TResult>(Func<Task<TResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // Npgsql reports a cancelled COPY or command as a broken read; the cause is the cancellation.
            await _load.DisposeAsync();
            throw new OperationCanceledException($"The bulk load of {Table} was cancelled.", ex, cancellationToken);
        }
        catch
        {
            await _load.DisposeAsync();
            throw;
        }
    }

    private async Task RejectAsync(CancellationToken cancellationToken)
        => _rejected.AddRange(await _load.Connection.ListAsync(
            _table.RejectSql!, null, _table.ReadRejection!, cancellationToken, timeoutSeconds: PostgresCommands.Unlimited));

    private async Task ExecuteAllAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        foreach (var sql in statements)
        {
            await ExecuteAsync(sql, cancellationToken);
        }
    }

    private Task ExecuteAsync(string sql, CancellationToken cancellationToken)
        => PostgresBulkLoadRestore.ExecuteAsync(_load.Connection, sql, cancellationToken);
}
