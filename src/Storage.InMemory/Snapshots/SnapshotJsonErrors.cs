using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// Says in the format's terms why the serializer refused a line: JSON that is not valid and where, or the field
/// (named by the error's path, as <c>tag.field</c>) that is unknown, missing, repeated, or holds a value of another
/// kind, with the value and what the format requires there. No .NET type names, and no serializer position (its
/// <c>LineNumber</c> is always 0: a line is read alone; the caller names the file's line).
/// </summary>
internal static class SnapshotJsonErrors
{
    private const string Tags = "project, dependency, contributor, asset, contribution, agent_task, end";

    /// <summary>What is wrong with a line the serializer refused, as the rest of a message naming the file and line.</summary>
    /// <param name="error">The serializer's error.</param>
    /// <param name="text">The line.</param>
    /// <param name="type">What the line was read as: <see cref="SnapshotLine"/> for a record or end line, <see cref="SnapshotHeader"/> for line 1.</param>
    public static string Describe(JsonException error, string text, Type type)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (Syntax(bytes) is { } syntax)
        {
            return $"is not valid JSON: {WithoutPosition(syntax.Message)} (at byte {syntax.BytePositionInLine + 1})";
        }

        var fallback = $"is not a valid {(type == typeof(SnapshotHeader) ? "header" : "snapshot line")} ({WithoutPosition(error.Message)})";
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return Segments(error.Path) is { } path && Field(document.RootElement, type, path) is { } field ? field
                : Repeated(document.RootElement, "") is { } repeated ? Twice(repeated, type)
                : fallback;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // Explaining must never turn a bad file into another kind of failure: the serializer's own words will do.
            return fallback;
        }
    }

    /// <summary>The reader's error when the bytes are not one well-formed JSON value; null when they are.</summary>
    private static JsonException? Syntax(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            return ex;
        }
    }

    /// <summary>The field at <paramref name="path"/> and what is wrong with it; null when the path leads nowhere known.</summary>
    private static string? Field(JsonElement element, Type type, List<string> path)
    {
        var info = SnapshotFormat.Json.GetTypeInfo(type);
        var name = "";
        var optional = false;
        foreach (var segment in path)
        {
            if (element.ValueKind != JsonValueKind.Object || info.Kind != JsonTypeInfoKind.Object)
            {
                return null;
            }

            var property = Fields(info).FirstOrDefault(p => p.Name == segment);
            if (property is null)
            {
                return name.Length == 0 && type == typeof(SnapshotLine)
                    ? $"has an unknown tag \"{segment}\" (a line's tag is one of {Tags})"
                    : $"has an unknown field \"{segment}\" in {Owner(name, type, definite: true)}";
            }

            // A line's tags are all optional to the serializer, but a line must have one: null is no choice there.
            optional = property.IsSetNullable && !(name.Length == 0 && type == typeof(SnapshotLine));

            name = name.Length == 0 ? segment : $"{name}.{segment}";
            var count = 0;
            foreach (var member in element.EnumerateObject())
            {
                if (member.NameEquals(segment))
                {
                    count++;
                    element = member.Value;
                }
            }

            if (count != 1)
            {
                return count > 1 ? Twice(name, type) : null;
            }

            info = SnapshotFormat.Json.GetTypeInfo(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
        }

        if (element.ValueKind == JsonValueKind.Object && info.Kind == JsonTypeInfoKind.Object)
        {
            var missing = Fields(info).Select(p => p.Name).Where(p => !element.TryGetProperty(p, out _)).ToList();
            return missing.Count == 0 ? null
                : $"has {Owner(name, type, definite: false)} without the field{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}";
        }

        return $"has a bad value for {name}: {Shown(element)}, where the format requires {Expected(info)}{(optional ? " or null" : "")}";
    }

    private static string Twice(string name, Type type)
        => $"has the {(type == typeof(SnapshotLine) && !name.Contains('.', StringComparison.Ordinal) ? "tag" : "field")} {name} more than once";

    /// <summary>The first name given twice in an object, as a path (<c>a.b</c>); null when there is none.</summary>
    private static string? Repeated(JsonElement element, string prefix)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var name = prefix.Length == 0 ? member.Name : $"{prefix}.{member.Name}";
            if (!seen.Add(member.Name))
            {
                return name;
            }

            if (Repeated(member.Value, name) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>The fields a file holds for the type: those read back (a derived property such as a project's key is not).</summary>
    private static IEnumerable<JsonPropertyInfo> Fields(JsonTypeInfo info)
        => info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null);

    private static string Owner(string name, Type type, bool definite)
        => name.Length == 0 ? (definite ? "the " : "a ") + (type == typeof(SnapshotHeader) ? "header" : "line")
            : name.Contains('.', StringComparison.Ordinal) ? name
            : $"{(definite ? $"its {name}" : SnapshotFormat.WithArticle(name))} record";

    private static string Expected(JsonTypeInfo info)
    {
        var type = info.Type;
        return type == typeof(string) ? "a string"
            : type == typeof(Guid) ? "a UUID"
            : type == typeof(DateTimeOffset) ? "a time with its offset, such as 2026-01-01T12:00:00+00:00"
            : type == typeof(int) ? $"a whole number from {int.MinValue} to {int.MaxValue}"
            : type == typeof(long) ? $"a whole number from {long.MinValue} to {long.MaxValue}"
            : type == typeof(decimal) ? "a decimal number"
            : type == typeof(JsonMetadata) ? "a JSON object"
            : type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName))}"
            : info.Kind == JsonTypeInfoKind.Object ? $"an object with the fields {string.Join(", ", Fields(info).Select(p => p.Name))}"
            : "a value of another kind";
    }

    /// <summary>A JSON value as it is written, cut short when long.</summary>
    internal static string Shown(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }

    /// <summary>The names in a serializer path (<c>$.project.name</c>, <c>$['a b']</c>); null for one with an array index.</summary>
    private static List<string>? Segments(string? path)
    {
        if (path is null || !path.StartsWith('$'))
        {
            return null;
        }

        var names = new List<string>();
        var at = 1;
        while (at < path.Length)
        {
            if (path[at] == '.')
            {
                var end = path.IndexOfAny(['.', '['], at + 1);
                end = end < 0 ? path.Length : end;
                names.Add(path[(at + 1)..end]);
                at = end;
            }
            else if (path.AsSpan(at).StartsWith("['", StringComparison.Ordinal) && path.IndexOf("']", at + 2, StringComparison.Ordinal) is var close and >= 0)
            {
                names.Add(path[(at + 2)..close]);
                at = close + 2;
            }
            else
            {
                return null;
            }
        }

        return names;
    }

    /// <summary>A reader or serializer message without its position (<c>Path: … | LineNumber: 0 | BytePositionInLine: N.</c>).</summary>
    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        at = at >= 0 ? at : message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).TrimEnd('.', ' ');
    }
}
