using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Storage.Abstractions;

namespace Storage.InMemory;

/// <summary>
/// A cursor over a snapshot line in the exact form <see cref="SnapshotWriter"/> writes: no whitespace, fields in
/// order, strings without escapes, non-negative plain numbers, times as <c>yyyy-MM-ddTHH:mm:ss[.fffffff]+00:00</c>.
/// Each method reads one expected piece and returns false at anything else, without telling why: the caller then
/// reads the line with <see cref="Utf8JsonReader"/>. What it reads is what the serializer reads from the same bytes.
/// </summary>
internal ref struct PlainLine
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly ReadOnlySpan<byte> _bytes;
    private int _at;

    public PlainLine(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>True when the whole line has been read.</summary>
    public readonly bool AtEnd => _at == _bytes.Length;

    /// <summary>Reads <paramref name="literal"/> exactly.</summary>
    public bool Skip(ReadOnlySpan<byte> literal)
    {
        if (!_bytes[_at..].StartsWith(literal))
        {
            return false;
        }

        _at += literal.Length;
        return true;
    }

    public bool Text(out string value)
    {
        value = null!;
        return Content(out var content) && Decode(content, out value);
    }

    public bool OptionalText(out string? value)
    {
        value = null;
        return Skip("null"u8) || Text(out value!);
    }

    /// <summary><see cref="Text(out string)"/>, reusing the last string when the same bytes come again.</summary>
    public bool Text(SnapshotRecordParser.LastText last, out string value)
    {
        value = null!;
        if (!Content(out var content))
        {
            return false;
        }

        if (last.Value is not null && content.SequenceEqual(last.Bytes.AsSpan(0, last.Length)))
        {
            value = last.Value;
            return true;
        }

        if (!Decode(content, out value))
        {
            return false;
        }

        if (content.Length <= SnapshotRecordParser.LastText.MaxLength)
        {
            content.CopyTo(last.Bytes);
            last.Length = content.Length;
            last.Value = value;
        }

        return true;
    }

    public bool OptionalText(SnapshotRecordParser.LastText last, out string? value)
    {
        value = null;
        return Skip("null"u8) || Text(last, out value!);
    }

    /// <summary>A JSON object: <c>{}</c> as <see cref="JsonMetadata.Empty"/>, any other as <see cref="JsonMetadataConverter"/> reads it.</summary>
    public bool Metadata(out JsonMetadata value)
    {
        value = JsonMetadata.Empty;
        if (Skip("{}"u8))
        {
            return true;
        }

        if (_at == _bytes.Length || _bytes[_at] != '{')
        {
            return false;
        }

        // Well within the depth the line's reader allows the object (64, less the line's own two levels).
        var reader = new Utf8JsonReader(_bytes[_at..], new JsonReaderOptions { MaxDepth = 32 });
        try
        {
            reader.Read();
            using var document = JsonDocument.ParseValue(ref reader);
            value = JsonMetadata.FromElement(document.RootElement);
            _at += (int)reader.BytesConsumed;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or StorageValidationException)
        {
            return false;
        }
    }

    public bool Id(out Guid value)
    {
        value = Guid.Empty;
        return Content(out var content) && content.Length == 36 && Utf8Parser.TryParse(content, out value, out var used, 'D') && used == 36;
    }

    /// <summary>One of <paramref name="names"/> (indexed by enum value).</summary>
    public bool Named(byte[][] names, out int value)
    {
        value = -1;
        if (!Content(out var content))
        {
            return false;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (content.SequenceEqual(names[i]))
            {
                value = i;
                return true;
            }
        }

        return false;
    }

    public bool Int32(out int value)
    {
        value = 0;
        return Number(integer: true, out var number) && Utf8Parser.TryParse(number, out value, out var used) && used == number.Length;
    }

    public bool Int64(out long value)
    {
        value = 0;
        return Number(integer: true, out var number) && Utf8Parser.TryParse(number, out value, out var used) && used == number.Length;
    }

    public bool Decimal(out decimal value)
    {
        value = 0m;
        return Number(integer: false, out var number) && Utf8Parser.TryParse(number, out value, out var used) && used == number.Length;
    }

    /// <summary>A time as the writer writes a UTC one; offset zero.</summary>
    public bool Time(out DateTimeOffset value)
    {
        value = default;
        if (!Content(out var text) || text.Length < 25 || !text.EndsWith("+00:00"u8))
        {
            return false;
        }

        var fraction = text[19..^6];
        if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !Digits(text[..4], out var year) || !Digits(text[5..7], out var month) || !Digits(text[8..10], out var day)
            || !Digits(text[11..13], out var hour) || !Digits(text[14..16], out var minute) || !Digits(text[17..19], out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = 0;
        if (!fraction.IsEmpty)
        {
            if (fraction.Length is < 2 or > 8 || fraction[0] != '.' || !Digits(fraction[1..], out ticks))
            {
                return false;
            }

            for (var i = fraction.Length - 1; i < 7; i++)
            {
                ticks *= 10;
            }
        }

        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).Ticks + ticks, TimeSpan.Zero);
        return true;
    }

    public bool OptionalTime(out DateTimeOffset? value)
    {
        value = null;
        if (Skip("null"u8))
        {
            return true;
        }

        var ok = Time(out var time);
        value = time;
        return ok;
    }

    /// <summary>The content of a string that has no escape and no control character.</summary>
    public bool Content(out ReadOnlySpan<byte> content)
    {
        content = default;
        var rest = _bytes[_at..];
        if (rest.IsEmpty || rest[0] != '"')
        {
            return false;
        }

        var end = rest[1..].IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || rest[1 + end] != '"' || rest.Slice(1, end).IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
        {
            return false;
        }

        content = rest.Slice(1, end);
        _at += end + 2;
        return true;
    }

    /// <summary>A non-negative JSON number without exponent: digits, no leading zero, and (unless <paramref name="integer"/>) a fraction.</summary>
    private bool Number(bool integer, out ReadOnlySpan<byte> number)
    {
        var rest = _bytes[_at..];
        var digits = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits < 0)
        {
            digits = rest.Length;
        }

        var length = digits;
        if (!integer && length < rest.Length && rest[length] == '.')
        {
            var decimals = rest[(length + 1)..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            length += 1 + (decimals < 0 ? rest.Length - length - 1 : decimals);
            if (length == digits + 1)
            {
                number = default;
                return false;
            }
        }

        number = rest[..length];
        if (digits == 0 || (digits > 1 && rest[0] == '0') || length > 20)
        {
            return false;
        }

        _at += length;
        return true;
    }

    private static bool Decode(ReadOnlySpan<byte> content, out string value)
    {
        try
        {
            value = StrictUtf8.GetString(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            value = null!;
            return false;
        }
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
