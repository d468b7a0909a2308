using System.Collections.Frozen;
using System.Data.Common;
using System.Text;

namespace Storage.Postgres;

/// <summary>Conversions between stored values and .NET values, shared by the stores.</summary>
internal static class PostgresValues
{
    private static readonly FrozenDictionary<string, AgentTaskStatus> Statuses = Names<AgentTaskStatus>(StorageNames.Of);
    private static readonly FrozenDictionary<string, AgentTaskType> TaskTypes = Names<AgentTaskType>(StorageNames.Of);
    private static readonly FrozenDictionary<string, AssetType> AssetTypes = Names<AssetType>(StorageNames.Of);

    /// <summary>A timestamptz as a UTC <see cref="DateTimeOffset"/> (offset 0).</summary>
    public static DateTimeOffset Time(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>A nullable timestamptz.</summary>
    public static DateTimeOffset? NullableTime(DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>A nullable text value.</summary>
    public static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A json column holding canonical text, which is returned unchanged.</summary>
    public static JsonMetadata Json(DbDataReader reader, int ordinal) => JsonText(reader.GetString(ordinal));

    /// <summary>Stored JSON text as metadata; the empty object, by far the most common, without parsing it again.</summary>
    public static JsonMetadata JsonText(string json) => json == "{}" ? JsonMetadata.Empty : JsonMetadata.Parse(json);

    /// <summary>A task status from its stored name.</summary>
    public static AgentTaskStatus Status(string name) => Statuses[name];

    /// <summary>A task type from its stored name.</summary>
    public static AgentTaskType TaskType(string name) => TaskTypes[name];

    /// <summary>An asset type from its stored name.</summary>
    public static AssetType AssetType(string name) => AssetTypes[name];

    /// <summary>
    /// A LIKE pattern matching any text that contains <paramref name="text"/> as a plain substring:
    /// <c>\</c>, <c>%</c> and <c>_</c> are escaped with the default escape character <c>\</c>.
    /// </summary>
    public static string ContainsPattern(string text)
    {
        var pattern = new StringBuilder(text.Length + 8).Append('%');
        foreach (var c in text)
        {
            if (c is '\\' or '%' or '_')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.Append('%').ToString();
    }

    private static FrozenDictionary<string, TEnum> Names<TEnum>(Func<TEnum, string> name)
        where TEnum : struct, Enum
        => Enum.GetValues<TEnum>().ToFrozenDictionary(name, StringComparer.Ordinal);
}
