using System.Text.Json;
using System.Text.Json.Serialization;

namespace Storage.Abstractions;

/// <summary>Reads and writes <see cref="JsonMetadata"/> as the JSON object itself.</summary>
public sealed class JsonMetadataConverter : JsonConverter<JsonMetadata>
{
    /// <inheritdoc/>
    public override JsonMetadata Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return JsonMetadata.FromElement(document.RootElement);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, JsonMetadata value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteRawValue(value.Json, skipInputValidation: true);
    }
}
