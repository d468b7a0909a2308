using Storage.InMemory;

namespace Storage.InMemory.Tests.Snapshots;

public sealed class UnixFilesTests : IDisposable
{
    private readonly SnapshotFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Describe_names_what_a_path_is_without_following_a_link()
    {
        var file = _fixture.PathOf("file.jsonl");
        File.WriteAllText(file, "x");
        var link = _fixture.PathOf("link.jsonl");
        File.CreateSymbolicLink(link, file);

        Assert.Null(UnixFiles.Describe(_fixture.PathOf("missing.jsonl")));
        Assert.Equal("a file", UnixFiles.Describe(file));
        Assert.Equal("a link", UnixFiles.Describe(link));
        Assert.Equal("a folder", UnixFiles.Describe(Path.GetDirectoryName(file)!));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal("a device, a pipe or a socket", UnixFiles.Describe("/dev/null"));
        }
    }

    [Fact]
    public async Task A_snapshot_is_not_written_over_a_link_and_leaves_it_and_its_file_as_they_were()
    {
        await _fixture.FillAsync();
        var file = _fixture.PathOf("kept.jsonl");
        File.WriteAllText(file, "kept");
        var link = _fixture.PathOf("link.jsonl");
        File.CreateSymbolicLink(link, file);

        var error = await Assert.ThrowsAsync<IOException>(() => SnapshotWriter.WriteAsync(link, _fixture.Graph, _fixture.Tasks, _fixture.Time));

        Assert.Contains($"{link} is a link, not a file", error.Message, StringComparison.Ordinal);
        Assert.Equal(file, new FileInfo(link).LinkTarget);
        Assert.Equal("kept", File.ReadAllText(file));
        Assert.Equal(["kept.jsonl", "link.jsonl"], Directory.GetFileSystemEntries(Path.GetDirectoryName(file)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void SyncDirectory_of_a_missing_folder_says_which_and_why()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no directory sync: nothing is opened there.
        }

        var missing = _fixture.PathOf("missing-folder");

        var error = Assert.Throws<IOException>(() => UnixFiles.SyncDirectory(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }
}
