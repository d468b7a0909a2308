using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>Saves the in-memory stores to a snapshot file and loads them back, all or nothing.</summary>
public static class InMemorySnapshot
{
    private const int BatchSize = 1_000;

    /// <summary>Writes both stores to <paramref name="path"/> (temp file, then rename).</summary>
    public static Task<SnapshotSummary> SaveAsync(
        string path, InMemoryGraphStore graph, InMemoryAgentTaskStore tasks, TimeProvider timeProvider, CancellationToken cancellationToken = default)
        => SnapshotWriter.WriteAsync(path, graph, tasks, timeProvider, cancellationToken);

    /// <summary>
    /// Reads the whole file into fresh stores, then replaces the contents of <paramref name="graph"/> and
    /// <paramref name="tasks"/> with them. A file with any problem is refused with a
    /// <see cref="SnapshotFormatException"/> naming the line, record and field, and both stores are left as they were.
    /// </summary>
    public static async Task<SnapshotSummary> LoadAsync(
        string path, InMemoryGraphStore graph, InMemoryAgentTaskStore tasks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tasks);
        var ids = new GuidV7IdGenerator(TimeProvider.System);
        var freshGraph = new InMemoryGraphStore(TimeProvider.System, ids);
        var freshTasks = new InMemoryAgentTaskStore(TimeProvider.System, ids);
        var counts = Enum.GetValues<SnapshotSection>().ToDictionary(s => s, _ => 0L);
        await using var reader = await SnapshotReader.OpenAsync(path, cancellationToken);
        var batch = new List<SnapshotRecord>(BatchSize);
        await foreach (var record in reader.ReadRecordsAsync(cancellationToken))
        {
            if (batch.Count == BatchSize || (batch.Count > 0 && batch[0].Section != record.Section))
            {
                await ImportAsync(path, freshGraph, freshTasks, batch, cancellationToken);
                batch.Clear();
            }

            batch.Add(record);
            counts[record.Section]++;
        }

        await ImportAsync(path, freshGraph, freshTasks, batch, cancellationToken);
        graph.ReplaceContents(freshGraph);
        tasks.ReplaceContents(freshTasks);
        return new SnapshotSummary(reader.Header, counts);
    }

    private static async Task ImportAsync(
        string path, InMemoryGraphStore graph, InMemoryAgentTaskStore tasks, List<SnapshotRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await ImportBatchAsync(graph, tasks, batch, cancellationToken);
        }
        catch (StorageException)
        {
            // The batch was refused whole; replay it record by record to name the one at fault.
            foreach (var record in batch)
            {
                try
                {
                    await ImportBatchAsync(graph, tasks, [record], cancellationToken);
                }
                catch (StorageException ex)
                {
                    throw new SnapshotFormatException(path, record.Line, $"has {SnapshotFormat.WithArticle(SnapshotFormat.Tag(record.Section))} record that cannot be loaded: {ex.Message}", ex);
                }
            }

            throw;
        }
    }

    private static Task<int> ImportBatchAsync(
        InMemoryGraphStore graph, InMemoryAgentTaskStore tasks, List<SnapshotRecord> batch, CancellationToken cancellationToken)
        => batch[0].Section switch
        {
            SnapshotSection.Projects => graph.ImportProjectsAsync(Values<Project>(batch), cancellationToken),
            SnapshotSection.Dependencies => graph.ImportDependenciesAsync(Values<DependencyEdge>(batch), cancellationToken),
            SnapshotSection.Contributors => graph.ImportContributorsAsync(Values<Contributor>(batch), cancellationToken),
            SnapshotSection.Assets => graph.ImportAssetsAsync(Values<Asset>(batch), cancellationToken),
            SnapshotSection.Contributions => graph.ImportContributionsAsync(Values<Contribution>(batch), cancellationToken),
            _ => tasks.ImportTasksAsync(Values<AgentTask>(batch), cancellationToken),
        };

    private static T[] Values<T>(List<SnapshotRecord> batch)
    {
        var values = new T[batch.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (T)batch[i].Value;
        }

        return values;
    }
}
