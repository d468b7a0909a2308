namespace Storage.DualWrite;

/// <summary>Copies one key's current state from the backend that holds it to the other (implemented by the decorators).</summary>
internal interface IKeyRepairer
{
    /// <summary>Takes the locks <paramref name="key"/> needs, then calls <paramref name="repair"/> while holding them.</summary>
    Task<T> WithKeyLockedAsync<T>(EntityKey key, BackendRole good, Func<Task<T>> repair, CancellationToken cancellationToken);

    /// <summary>Copies the key's state from <paramref name="good"/> to the other backend. The caller holds the key's locks.</summary>
    Task RepairHeldAsync(EntityKey key, BackendRole good, CancellationToken cancellationToken);
}
