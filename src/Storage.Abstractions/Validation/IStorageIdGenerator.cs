namespace Storage.Abstractions;

/// <summary>The one source of new ids. Backends ask it instead of calling <see cref="Guid.NewGuid"/>, so tests and decorators control ids.</summary>
public interface IStorageIdGenerator
{
    /// <summary>A new, unique id.</summary>
    Guid NewId();
}
