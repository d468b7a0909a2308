using System.Text;
using System.Text.Json;
using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// Reads a snapshot line straight from its UTF-8 bytes into the record the serializer would build from it
/// (<see cref="SnapshotFormat.Json"/>). A line exactly as <see cref="SnapshotWriter"/> writes it is read by
/// <see cref="PlainLine"/>; another plain line — one tag, every field once, names unescaped, values of the expected
/// JSON types, in any order and spacing — by <see cref="Utf8JsonReader"/> with the value readers the serializer's
/// converters use. Any other line, valid or not, is declined (null), and the caller reads it through the
/// serializer, so a declined line gives exactly the value or the error the serializer gives. One parser per reader: it
/// remembers the last value of fields that repeat from line to line (ecosystems, edge ends, task models and
/// tiers) to reuse their strings. Not thread-safe.
/// </summary>
internal sealed partial class SnapshotRecordParser
{
    private const int Done = -2;

    private static readonly byte[] ProjectTag = Encoding.UTF8.GetBytes("project");
    private static readonly byte[] DependencyTag = Encoding.UTF8.GetBytes("dependency");
    private static readonly byte[] ContributorTag = Encoding.UTF8.GetBytes("contributor");
    private static readonly byte[] AssetTag = Encoding.UTF8.GetBytes("asset");
    private static readonly byte[] ContributionTag = Encoding.UTF8.GetBytes("contribution");
    private static readonly byte[] AgentTaskTag = Encoding.UTF8.GetBytes("agent_task");
    private static readonly byte[] EndTag = Encoding.UTF8.GetBytes(SnapshotFormat.EndTag);

    /// <summary>The record of a plain line (or its <see cref="SnapshotEnd"/>), not yet normalized; null to decline the line.</summary>
    /// <param name="line">One line, without its line end.</param>
    public object? TryParse(ReadOnlySpan<byte> line)
    {
        if (ReadPlain(line) is { } plain)
        {
            return plain;
        }

        var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
            {
                return null;
            }

            var tag = reader.ValueSpan;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            object? record =
                tag.SequenceEqual(ProjectTag) ? ReadProject(ref reader)
                : tag.SequenceEqual(DependencyTag) ? ReadDependency(ref reader)
                : tag.SequenceEqual(ContributorTag) ? ReadContributor(ref reader)
                : tag.SequenceEqual(AssetTag) ? ReadAsset(ref reader)
                : tag.SequenceEqual(ContributionTag) ? ReadContribution(ref reader)
                : tag.SequenceEqual(AgentTaskTag) ? ReadAgentTask(ref reader)
                : tag.SequenceEqual(EndTag) ? ReadEnd(ref reader)
                : null;

            // The line's object closes right after the record, and nothing but whitespace follows it.
            return record is not null && reader.Read() && reader.TokenType == JsonTokenType.EndObject && !reader.Read()
                ? record
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Bad JSON, or a string the reader cannot decode: the serializer gives the error.
            return null;
        }
    }

    /// <summary>
    /// Moves to the next property's value: true with its index in <paramref name="field"/> (the previous
    /// index on entry, so the writer's order costs one comparison per name). False at the end of the object
    /// (<paramref name="field"/> is <see cref="Done"/>) or at a name that is escaped, unknown or repeated (-1).
    /// </summary>
    private static bool NextField(ref Utf8JsonReader reader, byte[][] names, ref int field, ref int seen)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            field = reader.TokenType == JsonTokenType.EndObject ? Done : -1;
            return false;
        }

        var expected = field + 1;
        field = reader.ValueIsEscaped ? -1
            : expected < names.Length && reader.ValueSpan.SequenceEqual(names[expected]) ? expected
            : IndexOf(names, reader.ValueSpan);
        if (field < 0 || (seen & (1 << field)) != 0)
        {
            field = -1;
            return false;
        }

        seen |= 1 << field;
        return reader.Read();
    }

    /// <summary>True when the object ended with every one of <paramref name="names"/> read.</summary>
    private static bool Complete(int field, int seen, byte[][] names) => field == Done && seen == (1 << names.Length) - 1;

    private static int IndexOf(byte[][] names, ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (name.SequenceEqual(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static byte[][] Names(params string[] names) => [.. names.Select(Encoding.UTF8.GetBytes)];

    private static bool Text(ref Utf8JsonReader reader, out string value)
    {
        value = reader.TokenType == JsonTokenType.String ? reader.GetString()! : null!;
        return value is not null;
    }

    private static bool OptionalText(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        return reader.TokenType == JsonTokenType.Null || Text(ref reader, out value!);
    }

    /// <summary><see cref="Text(ref Utf8JsonReader, out string)"/>, reusing the last string when the same unescaped bytes come again.</summary>
    private static bool Text(ref Utf8JsonReader reader, LastText last, out string value)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return Text(ref reader, out value);
        }

        var bytes = reader.ValueSpan;
        if (last.Value is not null && bytes.SequenceEqual(last.Bytes.AsSpan(0, last.Length)))
        {
            value = last.Value;
            return true;
        }

        value = reader.GetString()!;
        if (bytes.Length <= LastText.MaxLength)
        {
            bytes.CopyTo(last.Bytes);
            last.Length = bytes.Length;
            last.Value = value;
        }

        return true;
    }

    private static bool OptionalText(ref Utf8JsonReader reader, LastText last, out string? value)
    {
        value = null;
        return reader.TokenType == JsonTokenType.Null || Text(ref reader, last, out value!);
    }

    /// <summary>A time with its offset (<see cref="SnapshotTimeConverter"/>), unescaped.</summary>
    private static bool Time(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        value = default;
        return reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped
            && SnapshotTimeConverter.HasOffset(reader.ValueSpan) && reader.TryGetDateTimeOffset(out value);
    }

    private static bool OptionalTime(ref Utf8JsonReader reader, out DateTimeOffset? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        var ok = Time(ref reader, out var time);
        value = time;
        return ok;
    }

    private static bool Id(ref Utf8JsonReader reader, out Guid value)
    {
        value = default;
        return reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out value);
    }

    private static bool Int32(ref Utf8JsonReader reader, out int value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out value);
    }

    private static bool Decimal(ref Utf8JsonReader reader, out decimal value)
    {
        value = 0m;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out value);
    }

    /// <summary>An enum value written as one of <paramref name="names"/> (indexed by value), unescaped.</summary>
    private static bool Named(ref Utf8JsonReader reader, byte[][] names, out int value)
    {
        value = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped ? IndexOf(names, reader.ValueSpan) : -1;
        return value >= 0;
    }

    /// <summary>The last short string read for one field, and its bytes as written.</summary>
    internal sealed class LastText
    {
        public const int MaxLength = 128;

        public byte[] Bytes { get; } = new byte[MaxLength];

        public int Length { get; set; }

        public string? Value { get; set; }
    }

    /// <summary>A JSON object as <see cref="JsonMetadataConverter"/> reads it; <c>{}</c> without building a document.</summary>
    private static bool Metadata(ref Utf8JsonReader reader, out JsonMetadata value)
    {
        value = null!;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var probe = reader;
        if (probe.Read() && probe.TokenType == JsonTokenType.EndObject)
        {
            reader = probe;
            value = JsonMetadata.Empty;
            return true;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            value = JsonMetadata.FromElement(document.RootElement);
            return true;
        }
        catch (StorageValidationException)
        {
            return false;
        }
    }
}
