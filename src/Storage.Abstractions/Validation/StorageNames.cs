using System.Text.Json;

namespace Storage.Abstractions;

/// <summary>The stored names of enum values (snake_case: <c>needs_decision</c>, <c>impl</c>, <c>code</c>), shared by schemas, snapshots and messages.</summary>
public static class StorageNames
{
    /// <summary>The stored name of a task status.</summary>
    public static string Of(AgentTaskStatus status) => Convert(status);

    /// <summary>The stored name of a task type.</summary>
    public static string Of(AgentTaskType type) => Convert(type);

    /// <summary>The stored name of an asset type.</summary>
    public static string Of(AssetType type) => Convert(type);

    private static string Convert<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
