using Npgsql;
using Storage.Consistency;
using Storage.Postgres;

namespace ConsistencyChecker.Stores;

/// <summary>The PostgreSQL stores' bulk load of empty tables (<see cref="PostgresBulkLoad"/>), for a repair.</summary>
internal sealed class PostgresBulkLoader(NpgsqlDataSource dataSource) : IBulkLoader
{
    public async Task<IBulkLoadSession> BeginAsync(CancellationToken cancellationToken)
        => new Session(await PostgresBulkLoad.BeginAsync(dataSource, cancellationToken));

    private static readonly TimeSpan PendingLockTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Builds the indexes an earlier load left listed (it stopped after its commit); null when done (or none was listed),
    /// else what stopped it. A role that may not read the list gets null too: it builds none, and it is told nothing of them.
    /// </summary>
    /// <param name="starting">Told how many are listed, before they are built.</param>
    /// <param name="cancellationToken">Stops the builds (they stay listed).</param>
    public async Task<string?> TryBuildPendingIndexesAsync(Action<int> starting, CancellationToken cancellationToken)
    {
        var listed = 0;
        try
        {
            listed = await PostgresIndexBuilds.CountPendingAsync(dataSource, cancellationToken);
            if (listed > 0)
            {
                starting(listed);
                // Hosts may be writing: a build waits for its table no longer than the bulk load waits to take one, so
                // their writes do not queue behind it for as long as a writer keeps a transaction open.
                await PostgresIndexBuilds.RunPendingAsync(dataSource, lockTimeout: PendingLockTimeout, cancellationToken: cancellationToken);
            }

            return null;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // Not the list's owner: a role that may not even read it is told nothing; one that saw them listed is.
            return listed > 0 ? $"the {listed} listed indexes were not built: this role may not take them off the list ({ex.MessageText}); the repair goes on without them" : null;
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return $"the indexes a stopped repair left listed were not built ({ex.Message}); the repair goes on without them";
        }
        catch (PostgresIndexBuildException ex)
        {
            return $"{ex.Message}; the repair goes on without it (ConsistencyChecker migrate, run as the tables' owner, builds the listed indexes)";
        }
    }

    private sealed class Session(PostgresBulkLoad load) : IBulkLoadSession
    {
        public async Task<IBulkLoad?> TryBeginAsync(RecordKind kind, CancellationToken cancellationToken) => kind switch
        {
            RecordKind.Project => Wrap(await load.TryBeginProjectsAsync(cancellationToken)),
            RecordKind.Dependency => Wrap(await load.TryBeginDependenciesAsync(cancellationToken)),
            RecordKind.Contributor => Wrap(await load.TryBeginContributorsAsync(cancellationToken)),
            RecordKind.Asset => Wrap(await load.TryBeginAssetsAsync(cancellationToken)),
            RecordKind.Contribution => Wrap(await load.TryBeginContributionsAsync(cancellationToken)),
            RecordKind.AgentTask => Wrap(await load.TryBeginTasksAsync(cancellationToken)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        public Task CommitAsync(CancellationToken cancellationToken) => load.CommitAsync(cancellationToken);

        public Task FinishAsync(CancellationToken cancellationToken) => load.BuildIndexesAsync(cancellationToken: cancellationToken);

        public ValueTask DisposeAsync() => load.DisposeAsync();

        private static Table<T>? Wrap<T>(PostgresTableLoad<T>? table) => table is null ? null : new Table<T>(table);
    }

    private sealed class Table<T>(PostgresTableLoad<T> table) : IBulkLoad
    {
        public Task WriteAsync(IReadOnlyList<object> records, CancellationToken cancellationToken)
        {
            var typed = new T[records.Count];
            for (var i = 0; i < typed.Length; i++)
            {
                typed[i] = (T)records[i];
            }

            return table.WriteAsync(typed, cancellationToken);
        }

        public async Task<IReadOnlyList<(object Record, string Reason)>> BuildAsync(CancellationToken cancellationToken)
            => [.. (await table.BuildAsync(cancellationToken)).Select(r => ((object)r.Record!, r.Reason))];

        public async Task<IReadOnlyList<object>> ReadFirstAsync(int count, CancellationToken cancellationToken)
            => [.. (await table.ReadFirstAsync(count, cancellationToken)).Select(r => (object)r!)];
    }
}
