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
    public static Task<SnapshotSummary> WriteAsync(
        string path, IGraphStore graph, IAgentTaskStore tasks, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tasks);
        var streams = new SnapshotStreams(
            graph.StreamProjectsAsync(cancellationToken),
            graph.StreamDependenciesAsync(cancellationToken),
            graph.StreamContributorsAsync(cancellationToken),
            graph.StreamAssetsAsync(cancellationToken),
            graph.StreamContributionsAsync(cancellationToken),
            tasks.StreamTasksAsync(cancellationToken));
        return WriteAsync(path, streams, StorageTime.Now(timeProvider), cancellationToken);
    }

    /// <summary>
    /// Writes the snapshot of <paramref name="streams"/>, read one after another, to <paramref name="path"/>; returns
    /// what it holds. <paramref name="takenAt"/> is the moment the records are as of (a record stamped later is
    /// "changed since the snapshot" to a check; written in UTC, truncated to the microsecond); take it before the
    /// streams start reading.
    /// </summary>
    public static async Task<SnapshotSummary> WriteAsync(string path, SnapshotStreams streams, DateTimeOffset takenAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(streams);
        var at = takenAt.UtcTicks;
        var header = new SnapshotHeader(SnapshotFormat.Name, SnapshotFormat.Version, new DateTimeOffset(at - (at % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero));
        var full = Path.GetFullPath(path);
        if (UnixFiles.Describe(full) is { } kind and not "a file")
        {
            throw new IOException(
                $"{full} is {kind}, not a file: a snapshot is written beside it and renamed over it, which would replace it; give the path of a file to write or replace");
        }

        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Path.GetRandomFileName()}.tmp");
        var counts = new Dictionary<SnapshotSection, long>();
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                using var writer = new Utf8JsonWriter(stream, WriterOptions);
                WriteLine(writer, stream, header);
                counts[SnapshotSection.Projects] = await WriteSectionAsync(writer, stream, SnapshotSection.Projects, streams.Projects);
                counts[SnapshotSection.Dependencies] = await WriteSectionAsync(writer, stream, SnapshotSection.Dependencies, streams.Dependencies);
                counts[SnapshotSection.Contributors] = await WriteSectionAsync(writer, stream, SnapshotSection.Contributors, streams.Contributors);
                counts[SnapshotSection.Assets] = await WriteSectionAsync(writer, stream, SnapshotSection.Assets, streams.Assets);
                counts[SnapshotSection.Contributions] = await WriteSectionAsync(writer, stream, SnapshotSection.Contributions, streams.Contributions);
                counts[SnapshotSection.AgentTasks] = await WriteSectionAsync(writer, stream, SnapshotSection.AgentTasks, streams.Tasks);
                WriteTagged(writer, stream, SnapshotFormat.EndTag, new SnapshotEnd(counts.Values.Sum()), typeof(SnapshotEnd));
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            UnixFiles.SyncDirectory(Path.GetDirectoryName(full)!);
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
