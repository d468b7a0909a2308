using System.Text;
using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>What <see cref="SnapshotReader"/> returns for files written by <see cref="SnapshotWriter"/> and for hand-made lines.</summary>
public sealed class SnapshotReaderTests : IDisposable
{
    private const string Header = """{"format":"storage-snapshot","version":1,"taken_at":"2026-01-01T12:00:00+00:00"}""";
    private const string Project = """{"project":{"ecosystem":"npm","name":"react","version":null,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""";
    private static readonly DateTimeOffset Noon = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SnapshotFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Every_kind_written_by_the_writer_reads_back_as_the_stores_stream_it()
    {
        await _fixture.FillAsync();
        var path = _fixture.PathOf("all.jsonl");
        await SnapshotWriter.WriteAsync(path, _fixture.Graph, _fixture.Tasks, _fixture.Time);

        var expected = new List<object>();
        expected.AddRange(await SnapshotAssert.ReadAsync(_fixture.Graph.StreamProjectsAsync()));
        expected.AddRange((await SnapshotAssert.ReadAsync(_fixture.Graph.StreamDependenciesAsync())).Cast<object>());
        expected.AddRange(await SnapshotAssert.ReadAsync(_fixture.Graph.StreamContributorsAsync()));
        expected.AddRange(await SnapshotAssert.ReadAsync(_fixture.Graph.StreamAssetsAsync()));
        expected.AddRange(await SnapshotAssert.ReadAsync(_fixture.Graph.StreamContributionsAsync()));
        expected.AddRange(await SnapshotAssert.ReadAsync(_fixture.Tasks.StreamTasksAsync()));
        var records = await ReadAllAsync(path);

        Assert.Equal(expected, records.Select(r => r.Value));
        Assert.Equal(Enumerable.Range(2, expected.Count).Select(i => (long)i), records.Select(r => r.Line));
        Assert.Equal(6, records.Select(r => r.Section).Distinct().Count());
    }

    [Fact]
    public async Task A_hand_written_line_with_escapes_spaces_and_fields_out_of_order_reads_as_its_record()
    {
        const string line = """ { "project" : { "updated_at":"2026-01-01T12:00:00+00:00", "name":"re\u0061ct", "ecosystem":"npm", "version":"1.0", "description":"say \"hi\" \ud83d\ude00 \\ \u00e9 ✓", "homepage_url":null, "repository_url":"https://example.org/r", "dependency_count":2, "created_at":"2026-01-01T12:00:00+00:00" } } """;
        var records = await ReadAllAsync(await WriteAsync(Header, line, """{"end":{"records":1}}"""));

        var expected = new Project("npm", "react", "1.0", "say \"hi\" 😀 \\ é ✓", null, "https://example.org/r", 2, Noon, Noon);
        Assert.Equal(expected, Assert.Single(records).Value);
    }

    [Fact]
    public async Task A_record_not_in_normal_form_is_normalized_as_on_import()
    {
        const string line = """{"contribution":{"id":"0190a4e2-0000-7000-8000-000000000001","contributor_id":"0190a4e2-0000-7000-8000-000000000002","asset_id":"0190a4e2-0000-7000-8000-000000000003","cost_amount":1.5,"coherence_score":1,"metadata":{ "b" : 1, "a" : "x" },"created_at":"2026-01-01T13:00:00+01:00"}}""";
        var records = await ReadAllAsync(await WriteAsync(Header, line, """{"end":{"records":1}}"""));

        var contribution = Assert.IsType<Contribution>(Assert.Single(records).Value);
        Assert.Equal("1.50", contribution.CostAmount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1.00", contribution.CoherenceScore.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("""{"a":"x","b":1}""", contribution.Metadata.Json);
        Assert.Equal(TimeSpan.Zero, contribution.CreatedAt.Offset);
        Assert.Equal(Noon, contribution.CreatedAt);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task Lines_may_end_as_StreamReader_ends_them(string ending)
    {
        var path = _fixture.PathOf("endings.jsonl");
        await File.WriteAllTextAsync(path, string.Join(ending, Header, Project, """{"end":{"records":1}}""") + ending);

        var record = Assert.Single(await ReadAllAsync(path));

        Assert.Equal(2, record.Line);
        Assert.Equal("react", Assert.IsType<Project>(record.Value).Name);
    }

    [Theory]
    [InlineData("""{"project":{"ecosystem":"npm","name":"react","version":null,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01T12:00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""", "created_at")]
    [InlineData("""{"project":{"ecosystem":"npm","\u006eame":"react","version":null,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00.5"}}""", "updated_at")]
    [InlineData("""{"project":{"ecosystem":"npm","name":"react","version":null,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01\u005412:00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""", "created_at")]
    [InlineData("""{"project":{"ecosystem":"npm","name":"react","version":null,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01","updated_at":"2026-01-01T12:00:00+00:00"}}""", "created_at")]
    [InlineData("""{"agent_task":{"id":"t1","direction":"d","task_type":"impl","status":"running","model":null,"command":null,"output":null,"context":{},"progress":0,"current_step":null,"decision_prompt":null,"decision":null,"tier":null,"claimed_by":"w","claimed_at":"2026-01-01T12:00:00","started_at":null,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""", "claimed_at")]
    public async Task A_time_without_its_offset_is_refused_naming_the_line_and_field(string line, string field)
    {
        var error = await Assert.ThrowsAsync<SnapshotFormatException>(async () => await ReadAllAsync(await WriteAsync(Header, line, """{"end":{"records":1}}""")));

        Assert.Equal(2, error.Line);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_time_without_its_offset_is_refused()
    {
        var header = """{"format":"storage-snapshot","version":1,"taken_at":"2026-01-01T12:00:00"}""";

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(async () => await ReadAllAsync(await WriteAsync(header, """{"end":{"records":0}}""")));

        Assert.Equal(1, error.Line);
        Assert.Contains("taken_at", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-01T12:00:00Z")]
    [InlineData("2026-01-01T07:00:00-05:00")]
    [InlineData("2026-01-01T12:00:00.000000+00:00")]
    public async Task A_time_with_its_offset_is_read_in_UTC(string time)
    {
        var line = Project.Replace("\"created_at\":\"2026-01-01T12:00:00+00:00\"", $"\"created_at\":\"{time}\"", StringComparison.Ordinal);

        var record = Assert.Single(await ReadAllAsync(await WriteAsync(Header, line, """{"end":{"records":1}}""")));

        Assert.Equal(Noon, Assert.IsType<Project>(record.Value).CreatedAt);
        Assert.Equal(TimeSpan.Zero, Assert.IsType<Project>(record.Value).CreatedAt.Offset);
    }

    [Fact]
    public async Task A_line_end_split_across_reads_and_lines_longer_than_the_buffer_are_read_whole()
    {
        var lines = new List<string> { Header };
        var offset = Header.Length + 2;
        for (var i = 0; offset < 65_536 - 10_300; i++)
        {
            lines.Add(ProjectLine($"p{i:D3}", new string('x', 9_000)));
            offset += lines[^1].Length + 2;
        }

        // The next line's \r is the buffer's last byte and its \n the first byte of the next read.
        var padding = 65_535 - offset - ProjectLine("q", "").Length;
        lines.Add(ProjectLine("q", new string('y', padding)));
        lines.Add(TaskLine(new string('z', 300_000)));
        lines.Add($$$"""{"end":{"records":{{{lines.Count - 1}}}}}""");
        var path = _fixture.PathOf("long.jsonl");
        await File.WriteAllTextAsync(path, string.Join("\r\n", lines) + "\r\n");
        Assert.Equal((byte)'\r', (await File.ReadAllBytesAsync(path))[65_535]);

        var records = await ReadAllAsync(path);

        Assert.Equal(lines.Count - 2, records.Count);
        Assert.Equal(padding, Assert.IsType<Project>(records[^2].Value).Description!.Length);
        Assert.Equal(300_000, Assert.IsType<AgentTask>(records[^1].Value).Output!.Length);
    }

    [Fact]
    public async Task A_line_of_the_longest_length_is_read_and_a_longer_one_is_refused_naming_the_line_and_the_limit()
    {
        // The end line padded with spaces (valid JSON) to exactly the limit, then to one byte more.
        const string end = """{"end":{"records":1}}""";
        var longest = _fixture.PathOf("longest.jsonl");
        await File.WriteAllTextAsync(longest, Header + "\r\n" + Project + "\r\n" + end.PadRight(SnapshotFormat.MaxLineLength) + "\r\n");
        var tooLong = _fixture.PathOf("too-long.jsonl");
        await File.WriteAllTextAsync(tooLong, Header + "\n" + Project + "\n" + end.PadRight(SnapshotFormat.MaxLineLength + 1) + "\n");

        Assert.Single(await ReadAllAsync(longest));
        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAllAsync(tooLong));

        Assert.Equal(3, error.Line);
        Assert.Equal("too-long.jsonl line 3: is longer than 16 MiB (16777216 bytes), the most a snapshot line may have", error.Message);
    }

    [Fact]
    public async Task A_line_that_never_ends_is_refused_once_it_passes_the_limit()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No /dev/zero: endless zero bytes, one line that never ends.
        }

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAllAsync("/dev/zero"));

        Assert.Equal(1, error.Line);
        Assert.Contains("is longer than 16 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_naming_its_line()
    {
        var path = _fixture.PathOf("bad.jsonl");
        var good = Encoding.UTF8.GetBytes(Header + "\n" + Project + "\n");
        var bad = Encoding.UTF8.GetBytes(Project.Replace("react", "reacu", StringComparison.Ordinal));
        bad[Array.IndexOf(bad, (byte)'u', 40)] = 0xC3;
        await File.WriteAllBytesAsync(path, [.. good, .. bad, (byte)'\n']);

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAllAsync(path));

        Assert.Equal(3, error.Line);
        Assert.Contains("is not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_after_the_end_line_is_refused_and_a_last_line_without_its_line_end_is_read()
    {
        var after = await Assert.ThrowsAsync<SnapshotFormatException>(async () => await ReadAllAsync(await WriteAsync(Header, Project, """{"end":{"records":1}}""", "{}")));
        var path = _fixture.PathOf("unended.jsonl");
        await File.WriteAllTextAsync(path, Header + "\n" + Project + "\n" + """{"end":{"records":1}}""");

        Assert.Equal(4, after.Line);
        Assert.Contains("data after the end line", after.Message, StringComparison.Ordinal);
        Assert.Single(await ReadAllAsync(path));
    }

    [Theory]
    [InlineData("\n", 4, "has a blank line after the end line")]
    [InlineData("\r\n\r\n", 4, "has a blank line after the end line")]
    [InlineData("\n\n\n", 4, "has a blank line after the end line")]
    [InlineData(" \n", 4, "has data after the end line")]
    public async Task Nothing_may_follow_the_end_line_not_even_a_blank_line(string after, long line, string expected)
    {
        var path = _fixture.PathOf("after.jsonl");
        await File.WriteAllTextAsync(path, Header + "\n" + Project + "\n" + """{"end":{"records":1}}""" + "\n" + after);

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAllAsync(path));

        Assert.Equal(line, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"format":"storage-snapshot","version":2,"version":1,"taken_at":"2026-01-01T12:00:00+00:00"}""", 1, "has the field version more than once")]
    [InlineData("""{"format":"storage-snapshot","version":1,"taken_at":"2026-01-01T12:00:00+00:00","taken_at":"2026-01-02T12:00:00+00:00"}""", 1, "has the field taken_at more than once")]
    [InlineData("""{"project":{"ecosystem":"npm","name":"react","version":null,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00","name":"vue"}}""", 2, "has the field project.name more than once")]
    [InlineData("""{"dependency":{"from":{"ecosystem":"npm","name":"a","name":"b"},"to":{"ecosystem":"npm","name":"c"}}}""", 2, "has the field dependency.from.name more than once")]
    [InlineData("""{"end":{"records":1},"end":{"records":0}}""", 2, "has the tag end more than once")]
    public async Task A_name_given_twice_in_the_header_or_a_line_is_refused(string line, long at, string expected)
    {
        var lines = at == 1 ? new[] { line, """{"end":{"records":0}}""" } : [Header, line, """{"end":{"records":0}}"""];

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(async () => await ReadAllAsync(await WriteAsync(lines)));

        Assert.Equal(at, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"project":{"ecosystem":"npm","name":"react","version":null,"description":null,"homepage_url":null,"repository_url":null,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""", "dependency_count")]
    [InlineData("""{"project":{"ecosystem":"npm","name":null,"version":null,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""", "name")]
    [InlineData("""{"project":{"ecosystem":"npm","name":"react","version":1,"description":null,"homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""", "version")]
    [InlineData("""{"asset":{"id":"0190a4e2-0000-7000-8000-000000000001","name":"a","description":null,"asset_type":"weights","total_cost":0.00,"metadata":{},"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""", "asset_type")]
    [InlineData("""{"asset":{"id":"0190a4e2-0000-7000-8000-000000000001","name":"a","description":null,"asset_type":"code","total_cost":0.00,"metadata":null,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""", "metadata")]
    [InlineData("""{"dependency":{"from":{"ecosystem":"npm","name":"a"},"to":{"ecosystem":"npm","name":"b","version":"1"}}}""", "version")]
    public async Task A_line_the_serializer_refuses_is_refused_naming_the_field(string line, string field)
    {
        var error = await Assert.ThrowsAsync<SnapshotFormatException>(async () => await ReadAllAsync(await WriteAsync(Header, line, """{"end":{"records":1}}""")));

        Assert.Equal(2, error.Line);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Storage.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contributor", "\"id\":\"0190a4e2-0000-7000-8000-000000000001\"", "\"id\":\"0190a4e2-0000-7000-8000-00000000000x\"", "has a bad value for contributor.id: \"0190a4e2-0000-7000-8000-00000000000x\", where the format requires a UUID")]
    [InlineData("asset", "\"asset_type\":\"code\"", "\"asset_type\":\"weights\"", "has a bad value for asset.asset_type: \"weights\", where the format requires one of code, model, content, data")]
    [InlineData("asset", "\"created_at\":\"2026-01-01T12:00:00+00:00\"", "\"created_at\":\"2026-13-01T12:00:00+00:00\"", "has a bad value for asset.created_at: \"2026-13-01T12:00:00+00:00\", where the format requires a time with its offset, such as 2026-01-01T12:00:00+00:00")]
    [InlineData("asset", "\"total_cost\":0.00", "\"total_cost\":1e40", "has a bad value for asset.total_cost: 1e40, where the format requires a decimal number")]
    [InlineData("project", "\"dependency_count\":0", "\"dependency_count\":99999999999", "has a bad value for project.dependency_count: 99999999999, where the format requires a whole number from -2147483648 to 2147483647")]
    [InlineData("project", "\"version\":null", "\"version\":1", "has a bad value for project.version: 1, where the format requires a string or null")]
    [InlineData("project", "\"dependency_count\":0,", "", "has a project record without the field dependency_count")]
    [InlineData("project", "\"version\":null", "\"version\":null,\"colour\":\"red\"", "has an unknown field \"colour\" in its project record")]
    [InlineData("project", "{\"project\":", "{\"projects\":", "has an unknown tag \"projects\" (a line's tag is one of project, dependency, contributor, asset, contribution, agent_task, end)")]
    [InlineData("project", "\"name\":\"react\",", "\"name\":\"react\"", "is not valid JSON: '\"' is invalid after a value. Expected either ',', '}', or ']' (at byte 45)")]
    public async Task A_line_the_serializer_refuses_says_which_field_holds_what_and_what_it_must_be(string tag, string good, string bad, string expected)
    {
        var line = tag switch
        {
            "contributor" => """{"contributor":{"id":"0190a4e2-0000-7000-8000-000000000001","name":"a","email":null,"github_username":null,"wallet_address":null,"metadata":{},"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""",
            "asset" => """{"asset":{"id":"0190a4e2-0000-7000-8000-000000000001","name":"a","description":null,"asset_type":"code","total_cost":0.00,"metadata":{},"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""",
            _ => Project,
        };
        Assert.Contains(good, line, StringComparison.Ordinal);
        var path = await WriteAsync(Header, line.Replace(good, bad, StringComparison.Ordinal), """{"end":{"records":1}}""");

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAllAsync(path));

        Assert.Equal($"{Path.GetFileName(path)} line 2: {expected}", error.Message);
    }

    [Fact]
    public async Task A_header_the_serializer_refuses_says_which_field_holds_what()
    {
        var header = """{"format":"storage-snapshot","version":1,"taken_at":1}""";

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(async () => await ReadAllAsync(await WriteAsync(header, """{"end":{"records":0}}""")));

        Assert.EndsWith("line 1: has a bad value for taken_at: 1, where the format requires a time with its offset, such as 2026-01-01T12:00:00+00:00", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{\"a\":1,\"a\":2}")]
    public async Task Metadata_that_fails_validation_is_refused_naming_the_line(string metadata)
    {
        var line = $$$"""{"asset":{"id":"0190a4e2-0000-7000-8000-000000000001","name":"a","description":null,"asset_type":"code","total_cost":0.00,"metadata":{{{metadata}}},"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""";

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(async () => await ReadAllAsync(await WriteAsync(Header, line, """{"end":{"records":1}}""")));

        Assert.Equal(2, error.Line);
        Assert.Contains("metadata", error.Message, StringComparison.Ordinal);
    }

    private static string ProjectLine(string name, string description)
        => $$$"""{"project":{"ecosystem":"npm","name":"{{{name}}}","version":null,"description":"{{{description}}}","homepage_url":null,"repository_url":null,"dependency_count":0,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""";

    private static string TaskLine(string output)
        => $$$"""{"agent_task":{"id":"t1","direction":"d","task_type":"impl","status":"completed","model":null,"command":null,"output":"{{{output}}}","context":{},"progress":100,"current_step":null,"decision_prompt":null,"decision":null,"tier":null,"claimed_by":null,"claimed_at":null,"started_at":null,"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""";

    private async Task<string> WriteAsync(params string[] lines)
    {
        var path = _fixture.PathOf(Path.GetRandomFileName());
        await File.WriteAllTextAsync(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static async Task<List<SnapshotRecord>> ReadAllAsync(string path)
    {
        await using var reader = await SnapshotReader.OpenAsync(path);
        return await SnapshotAssert.ReadAsync(reader.ReadRecordsAsync());
    }
}
