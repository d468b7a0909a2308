using System.Text.Json;
using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// Writes a snapshot of any pair of stores (in-memory or PostgreSQL) by streaming every entity kind in key
/// order. The file is written to a temporary name beside the target, flushed to disk, then renamed over the
/// target, so a crash or a cancellation never leaves a torn file.
/// </summary>
public static class SnapshotWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = SnapshotFormat.Json.Encoder };

    /// <summary>Writes the snapshot to <paramref name="path"/>; returns what it holds.</summary>
    public static async Task<SnapshotSummary> WriteAsync(
        string path, IGraphStore graph, IAgentTaskStore tasks, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tasks);
        var header = new SnapshotHeader(SnapshotFormat.Name, SnapshotFormat.Version, StorageTime.Now(timeProvider));
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Path.GetRandomFileName()}.tmp");
        var counts = new Dictionary<SnapshotSection, long>();
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                using var writer = new Utf8JsonWriter(stream, WriterOptions);
                WriteLine(writer, stream, header);
                counts[SnapshotSection.Projects] = await WriteSectionAsync(writer, stream, SnapshotSection.Projects, graph.StreamProjectsAsync(cancellationToken));
                counts[SnapshotSection.Dependencies] = await WriteSectionAsync(writer, stream, SnapshotSection.Dependencies, graph.StreamDependenciesAsync(cancellationToken));
                counts[SnapshotSection.Contributors] = await WriteSectionAsync(writer, stream, SnapshotSection.Contributors, graph.StreamContributorsAsync(cancellationToken));
                counts[SnapshotSection.Assets] = await WriteSectionAsync(writer, stream, SnapshotSection.Assets, graph.StreamAssetsAsync(cancellationToken));
                counts[SnapshotSection.Contributions] = await WriteSectionAsync(writer, stream, SnapshotSection.Contributions, graph.StreamContributionsAsync(cancellationToken));
                counts[SnapshotSection.AgentTasks] = await WriteSectionAsync(writer, stream, SnapshotSection.AgentTasks, tasks.StreamTasksAsync(cancellationToken));
                WriteTagged(writer, stream, SnapshotFormat.EndTag, new SnapshotEnd(counts.Values.Sum()), typeof(SnapshotEnd));
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            return new SnapshotSummary(header, counts);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static async Task<long> WriteSectionAsync<T>(Utf8JsonWriter writer, Stream stream, SnapshotSection section, IAsyncEnumerable<T> records)
    {
        var tag = SnapshotFormat.Tag(section);
        long count = 0;
        await foreach (var record in records)
        {
            WriteTagged(writer, stream, tag, record, typeof(T));
            count++;
            if (count % 4096 == 0)
            {
                await stream.FlushAsync();
            }
        }

        return count;
    }

    private static void WriteTagged(Utf8JsonWriter writer, Stream stream, string tag, object? value, Type type)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(tag);
        JsonSerializer.Serialize(writer, value, type, SnapshotFormat.Json);
        writer.WriteEndObject();
        EndLine(writer, stream);
    }

    private static void WriteLine(Utf8JsonWriter writer, Stream stream, SnapshotHeader header)
    {
        JsonSerializer.Serialize(writer, header, SnapshotFormat.Json);
        EndLine(writer, stream);
    }

    private static void EndLine(Utf8JsonWriter writer, Stream stream)
    {
        writer.Flush();
        stream.WriteByte((byte)'\n');
        writer.Reset();
    }
}
