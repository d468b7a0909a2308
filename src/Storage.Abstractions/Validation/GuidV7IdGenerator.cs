namespace Storage.Abstractions;

/// <summary>Time-ordered version 7 UUIDs (index-friendly in PostgreSQL), with the time from a <see cref="TimeProvider"/>.</summary>
public sealed class GuidV7IdGenerator(TimeProvider timeProvider) : IStorageIdGenerator
{
    /// <inheritdoc/>
    public Guid NewId() => Guid.CreateVersion7(timeProvider.GetUtcNow());
}
