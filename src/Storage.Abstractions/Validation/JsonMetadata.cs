using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Storage.Abstractions;

/// <summary>
/// An immutable JSON object in canonical text form: no insignificant whitespace, properties sorted by
/// name in code-point order, duplicate names rejected, numbers kept as written. Two values are equal
/// when their canonical texts are equal, so every backend stores and returns the same text.
/// </summary>
[JsonConverter(typeof(JsonMetadataConverter))]
public sealed class JsonMetadata : IEquatable<JsonMetadata>
{
    /// <summary>The most characters a canonical JSON object may have: <value>65,536</value>.</summary>
    public const int MaxLength = 65_536;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private JsonMetadata(string json) => Json = json;

    /// <summary>The empty object <c>{}</c>.</summary>
    public static JsonMetadata Empty { get; } = new("{}");

    /// <summary>The canonical JSON text.</summary>
    public string Json { get; }

    /// <summary>Parses and canonicalizes a JSON object.</summary>
    /// <exception cref="StorageValidationException">Not valid JSON, not an object, a duplicate property, a NUL character, or too long.</exception>
    public static JsonMetadata Parse(string json, string field = "metadata")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new StorageValidationException(field, $"must be a JSON object ({ex.Message})");
        }

        using (document)
        {
            return FromElement(document.RootElement, field);
        }
    }

    /// <summary>Canonicalizes a JSON element, which must be an object.</summary>
    /// <exception cref="StorageValidationException">See <see cref="Parse"/>.</exception>
    public static JsonMetadata FromElement(JsonElement element, string field = "metadata")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new StorageValidationException(field, $"must be a JSON object, not {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteCanonical(writer, element, field);
        }

        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (text.Length > MaxLength)
        {
            throw new StorageValidationException(field, $"must be at most {MaxLength} characters of JSON (got {text.Length})");
        }

        return text == "{}" ? Empty : new JsonMetadata(text);
    }

    /// <summary>A parsed copy of the object, for reading values.</summary>
    public JsonElement ToElement()
    {
        using var document = JsonDocument.Parse(Json);
        return document.RootElement.Clone();
    }

    /// <inheritdoc/>
    public bool Equals(JsonMetadata? other) => other is not null && string.Equals(Json, other.Json, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as JsonMetadata);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);

    /// <inheritdoc/>
    public override string ToString() => Json;

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(property);
                }

                properties.Sort((a, b) => StorageOrdering.CompareText(a.Name, b.Name));
                writer.WriteStartObject();
                for (var i = 0; i < properties.Count; i++)
                {
                    var name = properties[i].Name;
                    if (i > 0 && properties[i - 1].Name == name)
                    {
                        throw new StorageValidationException(field, $"has the property \"{name}\" more than once");
                    }

                    CheckText(name, field);
                    writer.WritePropertyName(name);
                    WriteCanonical(writer, properties[i].Value, field);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, field);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                string value;
                try
                {
                    value = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    throw new StorageValidationException(field, "must contain valid Unicode strings");
                }

                CheckText(value, field);
                writer.WriteStringValue(value);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static void CheckText(string value, string field)
    {
        if (StorageText.FindUnstorable(value) is { } reason)
        {
            throw new StorageValidationException(field, $"has a string that {reason}");
        }
    }
}
