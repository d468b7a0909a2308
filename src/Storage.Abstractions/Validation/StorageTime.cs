namespace Storage.Abstractions;

/// <summary>
/// Times are UTC with microsecond precision, which is what PostgreSQL keeps. Backends take "now" from an
/// injected <see cref="TimeProvider"/> through <see cref="Now"/>; times given by callers are checked by <see cref="Normalize(DateTimeOffset, string)"/>.
/// </summary>
public static class StorageTime
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The provider's current UTC time truncated to whole microseconds.</summary>
    public static DateTimeOffset Now(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow().UtcTicks;
        return new DateTimeOffset(now - (now % TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>Converts to UTC; rejects a value finer than a microsecond instead of rounding it.</summary>
    /// <exception cref="StorageValidationException">The value has sub-microsecond ticks.</exception>
    public static DateTimeOffset Normalize(DateTimeOffset value, string field)
    {
        if (value.UtcTicks % TicksPerMicrosecond != 0)
        {
            throw new StorageValidationException(field, "must have at most microsecond precision");
        }

        return new DateTimeOffset(value.UtcTicks, TimeSpan.Zero);
    }

    /// <summary><see cref="Normalize(DateTimeOffset, string)"/> for an optional value.</summary>
    public static DateTimeOffset? Normalize(DateTimeOffset? value, string field)
        => value is { } v ? Normalize(v, field) : null;
}
