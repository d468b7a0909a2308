namespace Storage.DualWrite;

/// <summary>Which backend <c>AddStorage(configuration)</c> registers (setting <c>Storage:Backend</c>).</summary>
public enum StorageBackend
{
    /// <summary>The in-memory backend alone (the default).</summary>
    InMemory,

    /// <summary>The PostgreSQL backend alone.</summary>
    Postgres,

    /// <summary>The dual-write decorator over in-memory (source) and PostgreSQL (target), driven by the migration flags.</summary>
    DualWrite,
}
