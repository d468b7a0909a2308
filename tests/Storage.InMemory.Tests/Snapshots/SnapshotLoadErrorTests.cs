using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>A bad snapshot is refused with an error naming the line (and field), and the stores are left as they were.</summary>
public sealed class SnapshotLoadErrorTests : IDisposable
{
    private const string Header = """{"format":"storage-snapshot","version":1,"taken_at":"2026-01-01T12:00:00+00:00"}""";
    private const string Project = """{"project":{"ecosystem":"npm","name":"react","version":null,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""";
    private readonly SnapshotFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task A_missing_file_is_refused()
    {
        var error = await LoadFailsAsync(null);
        Assert.Contains("cannot be opened", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task A_folder_is_refused_as_a_folder(string end)
    {
        Directory.CreateDirectory(_fixture.PathOf("bad.jsonl"));
        var error = await LoadFailsAtAsync(_fixture.PathOf("bad.jsonl") + end);
        Assert.Equal("bad.jsonl: is a folder, not a snapshot file", error.Message);
    }

    [Fact]
    public async Task A_pipe_is_refused_asking_for_a_file()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // The pipe is opened by its /proc/self/fd name, as a shell's <(cat snapshot.jsonl) is.
        }

        // A whole snapshot in the pipe, its write end closed: read once, it would load.
        using var readEnd = PipeHolding(Header + "\n" + """{"end":{"records":0}}""" + "\n", out var fd);
        File.CreateSymbolicLink(_fixture.PathOf("bad.jsonl"), $"/proc/self/fd/{fd}");

        var error = await LoadFailsAtAsync(_fixture.PathOf("bad.jsonl"));

        Assert.Contains($"is not a regular file ({_fixture.PathOf("bad.jsonl")} is a pipe or the like, read only once)", error.Message, StringComparison.Ordinal);
        Assert.Contains("write it to a file first", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_byte_order_mark_is_refused_as_such()
    {
        var path = _fixture.PathOf("bad.jsonl");
        await File.WriteAllTextAsync(path, Header + "\n" + """{"end":{"records":0}}""" + "\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var error = await LoadFailsAtAsync(path);
        Assert.Equal(1, error.Line);
        Assert.Contains("starts with a UTF-8 byte-order mark, which the format does not allow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var error = await LoadFailsAsync("");
        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_snapshot_is_refused()
    {
        var error = await LoadFailsAsync("""{"hello":"world"}""" + "\n");
        Assert.Equal(1, error.Line);
        Assert.Contains("not a storage snapshot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_format_version_is_refused_naming_both_versions()
    {
        var error = await LoadFailsAsync("""{"format":"storage-snapshot","version":2,"taken_at":"2026-01-01T12:00:00+00:00"}""" + "\n");
        Assert.Contains("format version 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("reads version 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1]")]
    public async Task A_format_version_that_is_not_a_number_is_refused_saying_it_must_be_the_number_1(string version)
    {
        var error = await LoadFailsAsync($$$"""{"format":"storage-snapshot","version":{{{version}}},"taken_at":"2026-01-01T12:00:00+00:00"}""" + "\n");
        Assert.Equal(1, error.Line);
        Assert.Contains($"\"version\": {version}, but the version must be the number 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_without_a_version_is_refused()
    {
        var error = await LoadFailsAsync("""{"format":"storage-snapshot","taken_at":"2026-01-01T12:00:00+00:00"}""" + "\n");
        Assert.Contains("no \"version\"; it must be the number 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_its_end_line_is_refused_as_truncated()
    {
        var error = await LoadFailsAsync(Header + "\n" + Project + "\n");
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_cut_in_the_middle_is_refused_naming_the_line()
    {
        var error = await LoadFailsAsync(Header + "\n" + Project[..40]);
        Assert.Equal(2, error.Line);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_end_count_that_differs_from_the_records_is_refused()
    {
        var error = await LoadFailsAsync(Header + "\n" + Project + "\n" + """{"end":{"records":2}}""" + "\n");
        Assert.Equal(3, error.Line);
        Assert.Contains("holds 2 records, but 1 were read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_record_is_refused_naming_the_line_and_field()
    {
        var bad = Project.Replace("\"name\":\"react\"", "\"name\":\"   \"", StringComparison.Ordinal);
        var error = await LoadFailsAsync(Header + "\n" + bad + "\n" + """{"end":{"records":1}}""" + "\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("name: must not be empty", error.Message, StringComparison.Ordinal);
        Assert.IsType<StorageValidationException>(error.InnerException);
    }

    [Fact]
    public async Task A_record_with_an_unknown_field_is_refused()
    {
        var bad = Project.Replace("\"version\":null", "\"version\":null,\"colour\":\"red\"", StringComparison.Ordinal);
        var error = await LoadFailsAsync(Header + "\n" + bad + "\n" + """{"end":{"records":1}}""" + "\n");
        Assert.Equal(2, error.Line);
        Assert.Contains("colour", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_out_of_key_order_are_refused()
    {
        var other = Project.Replace("\"name\":\"react\"", "\"name\":\"angular\"", StringComparison.Ordinal);
        var error = await LoadFailsAsync(Header + "\n" + Project + "\n" + other + "\n" + """{"end":{"records":2}}""" + "\n");
        Assert.Equal(3, error.Line);
        Assert.Contains("out of key order", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "has an agent_task record out of key order")]
    [InlineData(true, "has an asset record after agent_task records")]
    public async Task A_record_out_of_order_is_named_with_its_article(bool asset, string expected)
    {
        const string task = """{"agent_task":{"id":"b","direction":"d","task_type":"impl","status":"pending","model":null,"command":null,"output":null,"context":{},"progress":0,"current_step":null,"decision_prompt":null,"decision":null,"tier":null,"claimed_by":null,"claimed_at":null,"started_at":null,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""";
        var next = asset
            ? """{"asset":{"id":"0190a4e2-0000-7000-8000-000000000001","name":"a","description":null,"asset_type":"code","total_cost":0.00,"metadata":{},"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}"""
            : task.Replace("\"id\":\"b\"", "\"id\":\"a\"", StringComparison.Ordinal);

        var error = await LoadFailsAsync(Header + "\n" + task + "\n" + next + "\n" + """{"end":{"records":2}}""" + "\n");

        Assert.Equal(3, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edge_to_a_missing_project_is_refused_naming_its_line()
    {
        var edge = """{"dependency":{"from":{"ecosystem":"npm","name":"react"},"to":{"ecosystem":"npm","name":"ghost"}}}""";
        var error = await LoadFailsAsync(Header + "\n" + Project + "\n" + edge + "\n" + """{"end":{"records":2}}""" + "\n");
        Assert.Equal(3, error.Line);
        Assert.IsType<EntityNotFoundException>(error.InnerException);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused()
    {
        var path = _fixture.PathOf("bad.jsonl");
        await File.WriteAllBytesAsync(path, [.. System.Text.Encoding.UTF8.GetBytes(Header + "\n"), 0xC3, 0x28, (byte)'\n']);
        var error = await LoadFailsAtAsync(path);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    private static Microsoft.Win32.SafeHandles.SafePipeHandle PipeHolding(string contents, out string fd)
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        fd = pipe.GetClientHandleAsString();
        pipe.Write(System.Text.Encoding.UTF8.GetBytes(contents));
        return pipe.ClientSafePipeHandle;
    }

    private async Task<SnapshotFormatException> LoadFailsAsync(string? contents)
    {
        var path = _fixture.PathOf("bad.jsonl");
        if (contents is not null)
        {
            await File.WriteAllTextAsync(path, contents);
        }

        return await LoadFailsAtAsync(path);
    }

    private async Task<SnapshotFormatException> LoadFailsAtAsync(string path)
    {
        await _fixture.FillAsync();
        var before = await SnapshotAssert.ReadAsync(_fixture.Graph.StreamProjectsAsync());
        var tasksBefore = await SnapshotAssert.ReadAsync(_fixture.Tasks.StreamTasksAsync());

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => InMemorySnapshot.LoadAsync(path, _fixture.Graph, _fixture.Tasks));

        Assert.StartsWith("bad.jsonl", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAssert.ReadAsync(_fixture.Graph.StreamProjectsAsync()));
        Assert.Equal(tasksBefore, await SnapshotAssert.ReadAsync(_fixture.Tasks.StreamTasksAsync()));
        return error;
    }
}
