using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Storage.InMemory;

namespace Storage.InMemory.Tests;

/// <summary>
/// The reader's fast path agrees with the serializer it replaces: for random record lines, plain or reshaped,
/// valid or not, a line it parses gives the record the serializer gives, a record it calls normalized is one
/// that validation returns unchanged, and reading the line from a file gives the old reader's record or error.
/// </summary>
public sealed class SnapshotRecordParserPropertyTests : IDisposable
{
    private const string Header = """{"format":"storage-snapshot","version":1,"taken_at":"2026-01-01T12:00:00+00:00"}""";
    private const int LinesPerSeed = 20;
    private static readonly Arbitrary<int> Seeds = Gen.Choose(0, int.MaxValue / LinesPerSeed).ToArbitrary();
    private readonly SnapshotFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_parsed_line_gives_the_serializers_record()
    {
        // One parser for the lines of a seed, as one reader reads a file: values it reuses from earlier lines must not leak.
        Prop.ForAll(Seeds, seed =>
            {
                var parser = new SnapshotRecordParser();
                return Enumerable.Range(0, LinesPerSeed).All(i => ParsesAsTheSerializer(parser, seed * LinesPerSeed + i));
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_record_called_normalized_is_returned_unchanged_by_validation()
    {
        Prop.ForAll(Seeds, seed => Enumerable.Range(0, LinesPerSeed).All(i =>
            {
                var (_, record) = SnapshotLineSamples.Record(new Random(seed * LinesPerSeed + i));
                if (!SnapshotNormalForm.IsNormalized(record))
                {
                    return true;
                }

                var normalized = SnapshotReader.NormalizeRecord(record);
                return Same(record, normalized);
            }))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_line_read_from_a_file_gives_the_old_readers_record_or_error()
    {
        Prop.ForAll(Seeds, seed => Enumerable.Range(0, LinesPerSeed).All(i =>
            {
                var (line, _) = SnapshotLineSamples.Line(seed * LinesPerSeed + i);
                Assert.Equal(OldOutcome(line), ReadAsync(line).GetAwaiter().GetResult());
                return true;
            }))
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Normalized_records_of_every_kind_and_enum_value_take_the_fast_path()
    {
        var at = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var metadata = JsonMetadata.Parse("""{"a":[1,2.50,"x\"y"],"b":{"c":null}}""");
        var id = new Guid("0190a4e2-0000-7000-8000-000000000001");
        var records = new List<(string, object)>
        {
            ("project", new Project("npm", "react", "1.0", "UI \"quoted\" ✓ 😀 \u0001", "https://example.org/r", null, 3, at, at.AddTicks(10))),
            ("dependency", new DependencyEdge(new ProjectKey("npm", "a"), new ProjectKey("pypi", "b"))),
            ("contributor", new Contributor(id, "Zoë", "z@example.org", "zoe", "0xabc", metadata, at, at)),
            ("contribution", new Contribution(id, id, id, 999_999_999_999.99m, 0.50m, JsonMetadata.Empty, at)),
        };
        records.AddRange(Enum.GetValues<AssetType>().Select(t => ("asset", (object)new Asset(id, "a", null, t, 12.30m, JsonMetadata.Empty, at, at))));
        records.AddRange(Enum.GetValues<AgentTaskStatus>().SelectMany(s => Enum.GetValues<AgentTaskType>().Select(t => ("agent_task", (object)new AgentTask(
            "task-1", "do it", t, s, "m", "cmd", "out\n", metadata, 50, "step", "prompt", "yes", "t1", "w", at, at, at, at)))));

        foreach (var (tag, record) in records)
        {
            var line = $"{{\"{tag}\":{JsonSerializer.Serialize(record, record.GetType(), SnapshotFormat.Json)}}}";
            var parsed = new SnapshotRecordParser().TryParse(Encoding.UTF8.GetBytes(line));
            Assert.NotNull(parsed);
            Assert.True(Same(record, parsed), line);
            Assert.True(SnapshotNormalForm.IsNormalized(parsed), line);
        }
    }

    [Fact]
    public void Values_repeated_from_line_to_line_are_read_as_written()
    {
        var parser = new SnapshotRecordParser();
        string[] names = ["npm", "npm", "np", "npmx", "np\u006d", "npm", "", "npm", "日本", "日本", "日", new string('n', 200), new string('n', 200), "npm"];
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var line = "{\"dependency\":{\"from\":{\"ecosystem\":\"" + name + "\",\"name\":\"" + name + "\"},\"to\":{\"ecosystem\":\"pypi\",\"name\":\"x" + i + "\"}}}";
            var expected = Assert.IsType<SnapshotLine>(Reference(line)).Dependency;
            Assert.Equal(expected, parser.TryParse(Encoding.UTF8.GetBytes(line)));
        }
    }

    [Theory]
    [InlineData("\"id\":\"0190A4E2-0000-7000-8000-00000000000A\"")]
    [InlineData("\"id\":\"{0190a4e2-0000-7000-8000-000000000001}\"")]
    [InlineData("\"id\":\"0190a4e200007000800000000000000a\"")]
    [InlineData("\"created_at\":\"2026-02-30T00:00:00+00:00\"")]
    [InlineData("\"created_at\":\"2024-02-29T23:59:59.9999999+00:00\"")]
    [InlineData("\"created_at\":\"2026-01-01T23:59:60+00:00\"")]
    [InlineData("\"created_at\":\"2026-01-01T24:00:00+00:00\"")]
    [InlineData("\"created_at\":\"2026-01-01T12:00:00.1+00:00\"")]
    [InlineData("\"created_at\":\"2026-01-01T12:00:00.12345678+00:00\"")]
    [InlineData("\"created_at\":\"2026-01-01T12:00:00.+00:00\"")]
    [InlineData("\"created_at\":\"2026-01-01T12:00:00Z\"")]
    [InlineData("\"created_at\":\"2026-01-01T12:00:00-00:00\"")]
    [InlineData("\"created_at\":\"0000-01-01T12:00:00+00:00\"")]
    [InlineData("\"created_at\":\"2026-1-01T12:00:00+00:00\"")]
    [InlineData("\"total_cost\":0.10")]
    [InlineData("\"total_cost\":00.1")]
    [InlineData("\"total_cost\":1.")]
    [InlineData("\"total_cost\":.5")]
    [InlineData("\"total_cost\":1.5e1")]
    [InlineData("\"total_cost\":-1.00")]
    [InlineData("\"total_cost\":-0.00")]
    [InlineData("\"total_cost\":7")]
    [InlineData("\"total_cost\":12345678901234567890.12")]
    [InlineData("\"total_cost\":79228162514264337593543950336")]
    [InlineData("\"total_cost\":\"1.00\"")]
    [InlineData("\"name\":\"tab\there\"")]
    [InlineData("\"name\":\"raw\ttab\"")]
    [InlineData("\"name\":\"del\u007f \u00e9 \\/ \\u00e9\"")]
    [InlineData("\"name\":\"\\ud83d\\ude00 \\ud800\"")]
    [InlineData("\"asset_type\":\"Code\"")]
    [InlineData("\"asset_type\":\"code \"")]
    [InlineData("\"asset_type\":0")]
    [InlineData("\"metadata\":{\"a\":{\"b\":[1,{\"c\":null}]},\"0\":1.50}")]
    [InlineData("\"metadata\":{\"b\":1,\"a\":2}")]
    [InlineData("\"metadata\":{\"a\":1,\"a\":2}")]
    [InlineData("\"metadata\":{\"a\":\"\\u0000\"}")]
    [InlineData("\"metadata\":[]")]
    [InlineData("\"metadata\":{ }")]
    [InlineData("\"metadata\":DEEP")]
    public void A_hand_made_value_is_read_as_the_serializer_reads_it(string field)
    {
        const string asset = """{"asset":{"id":"0190a4e2-0000-7000-8000-000000000001","name":"a","description":null,"asset_type":"code","total_cost":0.00,"metadata":{},"created_at":"2026-01-01T12:00:00+00:00","updated_at":"2026-01-01T12:00:00+00:00"}}""";
        var name = field[..(field.IndexOf(':', StringComparison.Ordinal) + 1)];
        var start = asset.IndexOf(name, StringComparison.Ordinal);
        var end = asset.IndexOf(",\"", start + name.Length, StringComparison.Ordinal);
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 61)) + "1" + new string('}', 61);
        var line = asset[..start] + field.Replace("DEEP", deep, StringComparison.Ordinal) + asset[end..];

        var parsed = new SnapshotRecordParser().TryParse(Encoding.UTF8.GetBytes(line));

        // Declining is always safe (the serializer reads the line); a value read must be the serializer's.
        Assert.True(parsed is null || (Reference(line) is SnapshotLine { Count: 1 } read && Same(read.Record!.Value.Record, parsed)), line);
    }

    private static bool ParsesAsTheSerializer(SnapshotRecordParser parser, int seed)
    {
        var (line, plain) = SnapshotLineSamples.Line(seed);
        var parsed = parser.TryParse(Encoding.UTF8.GetBytes(line));
        var expected = Reference(line);
        if (parsed is null)
        {
            // Only a line that is not as the writer wrote it, or that the serializer refuses, is declined.
            return !plain || expected is not SnapshotLine { Count: 1 };
        }

        return expected is SnapshotLine { Count: 1 } read && Same(read.Record?.Record ?? read.End!, parsed);
    }

    private static object? Reference(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<SnapshotLine>(line, SnapshotFormat.Json);
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>Equal records with equal JSON (so offsets and decimal scales agree too).</summary>
    private static bool Same(object expected, object actual)
        => expected.Equals(actual)
            && JsonSerializer.Serialize(expected, expected.GetType(), SnapshotFormat.Json) == JsonSerializer.Serialize(actual, actual.GetType(), SnapshotFormat.Json);

    /// <summary>What the reader before the fast path did with a file holding the line as its only record.</summary>
    private static string OldOutcome(string line)
    {
        SnapshotLine? read;
        try
        {
            read = JsonSerializer.Deserialize<SnapshotLine>(line, SnapshotFormat.Json);
        }
        catch (JsonException ex)
        {
            return $"bad.jsonl line 2: {SnapshotJsonErrors.Describe(ex, line, typeof(SnapshotLine))}";
        }
        catch (StorageValidationException ex)
        {
            // Metadata is validated as it is read; the reader names the line (the old one let the exception out).
            return $"bad.jsonl line 2: has an invalid record: {ex.Message}";
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }

        if (read is not { Count: 1 })
        {
            return "bad.jsonl line 2: must be one object with one property: {\"<tag>\": {record}}, the tag one of project, dependency, contributor, asset, contribution, agent_task, end";
        }

        if (read.Record is not { } record)
        {
            return $"bad.jsonl line 2: says it holds {read.End!.Records} records, but 0 were read";
        }

        try
        {
            return Describe(SnapshotReader.NormalizeRecord(record.Record));
        }
        catch (StorageValidationException ex)
        {
            return $"bad.jsonl line 2: has an invalid {SnapshotFormat.Tag(record.Section)} record: {ex.Message}";
        }
    }

    private static string Describe(object record) => $"{record.GetType().Name} {JsonSerializer.Serialize(record, record.GetType(), SnapshotFormat.Json)}";

    private async Task<string> ReadAsync(string line)
    {
        var path = _fixture.PathOf("bad.jsonl");
        await File.WriteAllTextAsync(path, Header + "\n" + line + "\n" + """{"end":{"records":1}}""" + "\n");
        try
        {
            await using var reader = await SnapshotReader.OpenAsync(path);
            var records = await SnapshotAssert.ReadAsync(reader.ReadRecordsAsync());
            return Describe(Assert.Single(records).Value);
        }
        catch (SnapshotFormatException ex)
        {
            return ex.Message;
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }
}
