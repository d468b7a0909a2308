using System.Buffers.Binary;
using System.Text;

namespace Storage.Postgres;

/// <summary>
/// The fields of a row: each an int32 length (-1 for null) and the value in PostgreSQL's binary form, byte for byte
/// what Npgsql 10 sends for the same value and type.
/// </summary>
internal sealed partial class PostgresCopyWriter
{
    /// <summary>2000-01-01 00:00 UTC, PostgreSQL's epoch, in ticks.</summary>
    private const long PostgresEpochTicks = 630_822_816_000_000_000;

    /// <summary>UTF-8 that throws on an unpaired surrogate, as Npgsql's does (the shared validation rejects those first).</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Npgsql writes <see cref="DateTime.MinValue"/> and <see cref="DateTime.MaxValue"/> as -infinity and infinity unless this switch is on.</summary>
    private static readonly bool InfinityConversions =
        !(AppContext.TryGetSwitch("Npgsql.DisableDateTimeInfinityConversions", out var disabled) && disabled);

    /// <summary>A null of any type.</summary>
    public void Null() => Field(-1);

    /// <summary>A <c>text</c> value (also <c>json</c> and enum columns, which take their text): its UTF-8 bytes; null as null.</summary>
    /// <exception cref="EncoderFallbackException">The text holds an unpaired surrogate.</exception>
    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var room = sizeof(int) + Utf8.GetMaxByteCount(value.Length);
        if (_buffer.Length - _length < room)
        {
            // Only a long text can miss the room: count it exactly rather than grow the buffer threefold.
            EnsureRoom(sizeof(int) + Utf8.GetByteCount(value));
        }

        var written = Utf8.GetBytes(value, _buffer.AsSpan(_length + sizeof(int)));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), written);
        _length += sizeof(int) + written;
        _fields++;
    }

    /// <summary>
    /// A <c>timestamptz</c>: microseconds since 2000-01-01 UTC, the ticks below a microsecond dropped (toward 2000,
    /// as Npgsql divides); <see cref="DateTimeOffset.MinValue"/> and <see cref="DateTimeOffset.MaxValue"/> as
    /// -infinity and infinity; null as null.
    /// </summary>
    /// <exception cref="ArgumentException">The offset is not zero (Npgsql writes UTC values only).</exception>
    public void Time(DateTimeOffset? value)
    {
        if (value is not { } time)
        {
            Null();
            return;
        }

        if (time.Offset != TimeSpan.Zero)
        {
            // Npgsql's message, to its trailing space.
            throw new ArgumentException(
                $"Cannot write DateTimeOffset with Offset={time.Offset} to PostgreSQL type 'timestamp with time zone', only offset 0 (UTC) is supported. ",
                nameof(value));
        }

        var ticks = time.Ticks;
        var microseconds = InfinityConversions && ticks == DateTime.MaxValue.Ticks ? long.MaxValue
            : InfinityConversions && ticks == DateTime.MinValue.Ticks ? long.MinValue
            : (ticks - PostgresEpochTicks) / 10;
        BinaryPrimitives.WriteInt64BigEndian(Field(sizeof(long)), microseconds);
    }

    /// <summary>A <c>uuid</c>: its 16 bytes in RFC 4122 (big-endian) order.</summary>
    public void Uuid(Guid value) => value.TryWriteBytes(Field(16), bigEndian: true, out _);

    /// <summary>An <c>integer</c>.</summary>
    public void Integer(int value) => BinaryPrimitives.WriteInt32BigEndian(Field(sizeof(int)), value);

    /// <summary>Writes a field's length and returns its <paramref name="length"/> bytes to fill (none for null, -1).</summary>
    private Span<byte> Field(int length)
    {
        var span = Reserve(sizeof(int) + Math.Max(length, 0));
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        _fields++;
        return span[sizeof(int)..];
    }
}
