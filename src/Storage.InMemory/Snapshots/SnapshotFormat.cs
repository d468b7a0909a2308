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

    internal const string EndTag = "end";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
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
}
