using Storage.Consistency.Tests.Support;
using Storage.InMemory;

namespace Storage.Consistency.Tests;

public sealed class SnapshotSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Streams_each_section_in_order_and_rewind_when_asked_again()
    {
        var data = new DataGen(11).NewDataSet(6);
        var path = await SnapshotFiles.WriteAsync(data, _folder.File("s.jsonl"));
        await using var source = await SnapshotFileSource.OpenAsync(path);

        var projects = await source.StreamProjectsAsync().ToListAsync();
        var tasks = await source.StreamTasksAsync().ToListAsync();         // skips the sections between
        var again = await source.StreamContributorsAsync().ToListAsync();  // earlier: reads the file again

        Assert.Equal(data.WithDerived().Projects.OrderBy(p => p.Key, StorageOrdering.ProjectKey), projects);
        Assert.Equal(data.Tasks.OrderBy(t => t.Id, StorageOrdering.Text), tasks);
        Assert.Equal(data.Contributors.OrderBy(c => c.Id, StorageOrdering.Uuid), again);
        Assert.Equal(data.Count, await source.EstimateRecordCountAsync());
        Assert.Equal(data.Count, await source.ValidateAsync());
        Assert.False(source.CanLookUp);
    }

    [Fact]
    public async Task Bad_files_are_refused_by_open_or_by_validate_with_the_line()
    {
        var path = await SnapshotFiles.WriteAsync(new DataGen(12).NewDataSet(5), _folder.File("good.jsonl"));
        foreach (var (name, bad, expected) in SnapshotFiles.BadCopies(path))
        {
            var error = await Assert.ThrowsAsync<SnapshotFormatException>(async () =>
            {
                await using var source = await SnapshotFileSource.OpenAsync(bad);
                await source.ValidateAsync();
            });
            Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{name}: {error.Message}");
        }
    }

    [Fact]
    public async Task A_pipe_is_refused_at_open_and_a_file_replaced_by_one_has_no_count()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // The pipe is opened by its /proc/self/fd name, as a shell's --source <(cat s.jsonl) is.
        }

        var path = await SnapshotFiles.WriteAsync(new DataGen(14).NewDataSet(3), _folder.File("good.jsonl"));
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var readEnd = pipe.ClientSafePipeHandle;
        var piped = $"/proc/self/fd/{pipe.GetClientHandleAsString()}";
        pipe.Write(await File.ReadAllBytesAsync(path));
        pipe.Dispose(); // the write end: a reader sees the whole file, then its end
        var link = _folder.File("s.jsonl");
        File.CreateSymbolicLink(link, path);

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => SnapshotFileSource.OpenAsync(piped));
        await using var source = await SnapshotFileSource.OpenAsync(link);
        File.Delete(link);
        File.CreateSymbolicLink(link, piped);

        Assert.Contains("write it to a file first", error.Message, StringComparison.Ordinal);
        Assert.Null(await source.EstimateRecordCountAsync());
    }

    [Fact]
    public async Task A_truncated_file_fails_the_check_and_has_no_count()
    {
        var data = new DataGen(13).NewDataSet(5);
        var path = await SnapshotFiles.WriteAsync(data, _folder.File("good.jsonl"));
        var truncated = SnapshotFiles.Edit(path, "t.jsonl", l => l.Take(l.Count - 1));
        await using var source = await SnapshotFileSource.OpenAsync(truncated);
        await using var target = await Stores.LoadAsync(data, "live");

        Assert.Null(await source.EstimateRecordCountAsync());
        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => new ConsistencyEngine().CheckAsync(source, target));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }
}
