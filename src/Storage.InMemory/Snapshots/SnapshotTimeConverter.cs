using System.Text.Json;
using System.Text.Json.Serialization;

namespace Storage.InMemory;

/// <summary>
/// Reads a snapshot time as the serializer's own converter does, but only with its offset (<c>Z</c>, <c>+hh:mm</c> or
/// <c>-hh:mm</c>): a time without one would be read in the reading machine's time zone. Writes as the serializer does.
/// </summary>
internal sealed class SnapshotTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType != JsonTokenType.String ? default
            : reader.ValueIsEscaped || reader.HasValueSequence ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!)
            : reader.ValueSpan;

        // Without a message, the serializer says which value (its path) it could not convert.
        return HasOffset(text) && reader.TryGetDateTimeOffset(out var value) ? value : throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>
    /// True when an ISO 8601 time (<c>yyyy-MM-ddTHH:mm...</c>) names its offset: after the date and the <c>T</c> a time
    /// of day holds only digits, <c>:</c> and <c>.</c>, so any <c>Z</c>, <c>+</c> or <c>-</c> there begins the offset.
    /// </summary>
    internal static bool HasOffset(ReadOnlySpan<byte> text) => text.Length > 11 && text[11..].IndexOfAny("Z+-"u8) >= 0;
}
