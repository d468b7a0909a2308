namespace Storage.Testing;

/// <summary>A clock that moves only when told to. Thread-safe.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private long _utcTicks;

    public ManualTimeProvider()
        : this(DefaultStart)
    {
    }

    public ManualTimeProvider(DateTimeOffset start) => _utcTicks = start.UtcTicks;

    /// <summary>When set, every read of the clock moves it forward by this much afterwards.</summary>
    public TimeSpan AutoAdvance { get; set; }

    public override DateTimeOffset GetUtcNow()
    {
        var step = AutoAdvance.Ticks;
        var ticks = step == 0 ? Interlocked.Read(ref _utcTicks) : Interlocked.Add(ref _utcTicks, step) - step;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);

    public void SetUtcNow(DateTimeOffset value) => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);
}
