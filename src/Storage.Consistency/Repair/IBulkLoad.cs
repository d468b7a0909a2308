namespace Storage.Consistency;

/// <summary>One kind of a bulk load.</summary>
public interface IBulkLoad
{
    /// <summary>Writes records of the kind, in key order.</summary>
    Task WriteAsync(IReadOnlyList<object> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the kind's writes (its constraints and unique indexes built over all its records; its other indexes are
    /// built after the commit, <see cref="IBulkLoadSession.FinishAsync"/>); returns the records left out (invalid, or
    /// whose references or unique constraints do not hold), with why; rows breaking a unique index of the table's own
    /// fail the load. Nothing is visible before the session commits.
    /// </summary>
    Task<IReadOnlyList<(object Record, string Reason)>> BuildAsync(CancellationToken cancellationToken = default);

    /// <summary>After <see cref="BuildAsync"/>: the first <paramref name="count"/> records the load kept, in key order.</summary>
    Task<IReadOnlyList<object>> ReadFirstAsync(int count, CancellationToken cancellationToken = default);
}
