using System.Data.Common;
using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// A bulk load of one empty table: the backfill of a kind, written as one binary COPY in one transaction, with the
/// table's secondary indexes, foreign keys and unique constraints (all but the primary key) dropped while the rows
/// arrive and built again, once over all of them, by <see cref="CompleteAsync"/> (or <see cref="BuildAsync"/> and
/// <see cref="CommitAsync"/>, for a caller that must check something before the rows become visible). Maintaining a trigram or B-tree index
/// and checking two foreign keys row by row costs the server several times what building them once does.
/// Start one with <c>TryBegin…LoadAsync</c> of <see cref="PostgresGraphStore"/> or <see cref="PostgresAgentTaskStore"/>.
/// </summary>
/// <remarks>
/// <para>
/// The load holds the table locked (ACCESS EXCLUSIVE) from its start to its commit: other sessions' reads and writes of
/// the table wait for it and then see every row, or nothing if it is rolled back. It starts only when the table is
/// empty and free within a couple of seconds; otherwise <c>TryBegin…LoadAsync</c> returns null and nothing is changed.
/// </para>
/// <para>
/// Every record is validated as the imports validate it; one that fails is left out and reported by
/// <see cref="CompleteAsync"/>. Records whose references or unique values do not hold once all rows are in (an edge
/// to a missing project, a contribution of a missing contributor, a second contributor with an email) are removed
/// before the constraints are added back, and reported too, with the message the imports give. Records must come in
/// strictly ascending key order, without duplicates (a duplicate key fails the load).
/// </para>
/// <para>
/// Nothing is retried: a failure (a lost connection, a cancellation) rolls the whole load back at once (any later
/// call throws <see cref="ObjectDisposedException"/>), and <see cref="DisposeAsync"/> without
/// <see cref="CompleteAsync"/> does too. Not safe for concurrent use.
/// </para>
/// </remarks>
/// <typeparam name="T">The record type of the table.</typeparam>
public sealed class PostgresBulkLoad<T> : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly PostgresBulkLoadTable<T> _table;
    private readonly PostgresBulkLoadRestore _restore;
    private readonly List<PostgresBulkLoadRejection<T>> _rejected = [];
    private NpgsqlBinaryImporter? _importer;
    private bool _built;
    private bool _disposed;

    private PostgresBulkLoad(NpgsqlConnection connection, NpgsqlTransaction transaction, PostgresBulkLoadTable<T> table, PostgresBulkLoadRestore restore)
    {
        _connection = connection;
        _transaction = transaction;
        _table = table;
        _restore = restore;
    }

    /// <summary>The table being loaded.</summary>
    public string Table => _table.Name;

    /// <summary>Rows written into the COPY so far (records refused by validation are not counted).</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Validates and writes <paramref name="records"/>. A record that fails validation is left out (and reported by
    /// <see cref="CompleteAsync"/>); nothing becomes visible before <see cref="CompleteAsync"/> commits.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The load is completed or rolled back.</exception>
    /// <exception cref="InvalidOperationException">The load is built already.</exception>
    /// <exception cref="NpgsqlException">The server failed the load; it is rolled back.</exception>
    public async Task WriteAsync(IReadOnlyList<T> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_built)
        {
            throw new InvalidOperationException($"The bulk load of {Table} is built: no more rows can be written.");
        }

        try
        {
            _importer ??= await _connection.BeginBinaryImportAsync(_table.CopySql, cancellationToken);
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

                await _importer.StartRowAsync(cancellationToken);
                await _table.WriteRowAsync(_importer, normalized, cancellationToken);
                Rows++;
            }
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Ends the COPY, removes the rows whose references or unique values do not hold, adds the constraints and builds
    /// the indexes again, analyzes the table and commits: <see cref="BuildAsync"/>, then <see cref="CommitAsync"/>.
    /// Returns the records left out, with why, in the order found.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The load is completed or rolled back.</exception>
    /// <exception cref="InvalidOperationException">The load is built already.</exception>
    /// <exception cref="NpgsqlException">The server failed the load; it is rolled back.</exception>
    public async Task<IReadOnlyList<PostgresBulkLoadRejection<T>>> CompleteAsync(CancellationToken cancellationToken = default)
    {
        var rejected = await BuildAsync(cancellationToken);
        await CommitAsync(cancellationToken);
        return rejected;
    }

    /// <summary>
    /// Everything <see cref="CompleteAsync"/> does but the commit: ends the COPY, removes the rows whose references or
    /// unique values do not hold, adds the constraints, builds the indexes and analyzes the table. The table stays
    /// locked and nothing is visible until <see cref="CommitAsync"/>. Returns the records left out, with why.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The load is completed or rolled back.</exception>
    /// <exception cref="InvalidOperationException">The load is built already.</exception>
    /// <exception cref="NpgsqlException">The server failed the load; it is rolled back.</exception>
    public async Task<IReadOnlyList<PostgresBulkLoadRejection<T>>> BuildAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_built)
        {
            throw new InvalidOperationException($"The bulk load of {Table} is already built.");
        }

        _built = true;
        try
        {
            if (_importer is not null)
            {
                await _importer.CompleteAsync(cancellationToken);
                await _importer.DisposeAsync();
                _importer = null;
            }

            await _transaction.SaveAsync("constraints", cancellationToken);
            try
            {
                await ExecuteAllAsync(_restore.AddConstraints, cancellationToken);
            }
            catch (PostgresException ex) when (_table.RejectSql is not null
                && ex.SqlState is PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.UniqueViolation)
            {
                await _transaction.RollbackAsync("constraints", cancellationToken);
                await RejectAsync(cancellationToken);
                await ExecuteAllAsync(_restore.AddConstraints, cancellationToken);
            }

            await ExecuteAllAsync(_restore.CreateIndexes, cancellationToken);
            await ExecuteAsync($"ANALYZE {_table.Name}", cancellationToken);
            return _rejected;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Commits a built load (<see cref="BuildAsync"/>): every row becomes visible at once, and the table is free again.</summary>
    /// <exception cref="ObjectDisposedException">The load is completed or rolled back.</exception>
    /// <exception cref="InvalidOperationException">The load is not built yet.</exception>
    /// <exception cref="NpgsqlException">The commit failed; the load is rolled back.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_built)
        {
            throw new InvalidOperationException($"The bulk load of {Table} must be built before it is committed.");
        }

        try
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await DisposeAsync();
        }
    }

    /// <summary>Rolls the load back unless it was completed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_importer is not null)
            {
                await _importer.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or OperationCanceledException)
        {
            // The COPY was cancelled or its connection is gone; closing the connection rolls the rest back.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts a load of <paramref name="table"/>: locks it, checks that it is empty, and drops its secondary indexes and
    /// its constraints other than the primary key and the checks. Returns null, having changed nothing, when the table
    /// holds a row or stays locked by another session for <see cref="PostgresBulkLoadRestore.LockTimeout"/>.
    /// </summary>
    internal static async Task<PostgresBulkLoad<T>?> TryBeginAsync(
        NpgsqlDataSource dataSource, PostgresBulkLoadTable<T> table, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var restore = await PostgresBulkLoadRestore.TryPrepareAsync(connection, table.Name, cancellationToken);
            if (restore is null)
            {
                await connection.DisposeAsync();
                return null;
            }

            if (table.BeforeCopySql is { } before)
            {
                await using var command = new NpgsqlCommand(before, connection);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new PostgresBulkLoad<T>(connection, transaction, table, restore);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task RejectAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_table.RejectSql, _connection) { CommandTimeout = 0 };
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _rejected.Add(_table.ReadRejection!(reader));
        }
    }

    private async Task ExecuteAllAsync(IReadOnlyList<string> statements, CancellationToken cancellationToken)
    {
        foreach (var sql in statements)
        {
            await ExecuteAsync(sql, cancellationToken);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
