using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// The snapshot file format (documented in docs/snapshot-format.md): JSON Lines in UTF-8. Line 1 is the
/// header; then one line per record, <c>{"tag": {record}}</c>, sections in <see cref="SnapshotSection"/> order and
/// records in key order; the last line is <c>{"end": {"records": N}}</c>, so a truncated file is detected.
/// </summary>
public static class SnapshotFormat
{
    /// <summary>The value of the header's <c>format</c> field: <value>storage-snapshot</value>.</summary>
    public const string Name = "storage-snapshot";

    /// <summary>The format version this library writes and reads: <value>1</value>.</summary>
    public const int Version = 1;

    /// <summary>
    /// The longest line a reader accepts, in bytes without the line end: <value>16 MiB (16,777,216)</value>. The largest
    /// record the writer can write is an agent task with every text at its limit (1,025,800 UTF-16 code units, each at
    /// most 6 bytes when written as <c>\u0001</c>) and 64 Ki characters of context (at most 3 bytes each): about 6.4 MB.
    /// A longer line is refused before it is read whole, so a corrupt file cannot make the reader hold gigabytes.
    /// </summary>
    public const int MaxLineLength = 16 << 20;

    internal const string EndTag = "end";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false), new SnapshotTimeConverter() },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The line tag of a section.</summary>
    public static string Tag(SnapshotSection section) => section switch
    {
        SnapshotSection.Projects => "project",
        SnapshotSection.Dependencies => "dependency",
        SnapshotSection.Contributors => "contributor",
        SnapshotSection.Assets => "asset",
        SnapshotSection.Contributions => "contribution",
        SnapshotSection.AgentTasks => "agent_task",
        _ => throw new ArgumentOutOfRangeException(nameof(section)),
    };

    /// <summary>A tag after its article, for messages: <c>a project</c>, <c>an asset</c>, <c>an agent_task</c>.</summary>
    internal static string WithArticle(string tag) => (tag.Length > 0 && "aeiou".Contains(tag[0], StringComparison.Ordinal) ? "an " : "a ") + tag;
}
