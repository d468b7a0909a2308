namespace Storage.Abstractions;

/// <summary>An operation needed an entity that does not exist (for example the target of a dependency edge).</summary>
public sealed class EntityNotFoundException : StorageException
{
    /// <summary>Creates the exception for the entity of kind <paramref name="entity"/> with key <paramref name="key"/>.</summary>
    public EntityNotFoundException(string entity, string key)
        : base($"{entity} '{key}' was not found.")
    {
        Entity = entity;
        Key = key;
    }

    /// <summary>The kind of entity, for example <c>project</c> or <c>agent_task</c>.</summary>
    public string Entity { get; }

    /// <summary>The key that was looked up, as text.</summary>
    public string Key { get; }
}
