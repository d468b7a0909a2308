namespace Storage.DualWrite;

/// <summary>Which of the two wrapped backends a value, a read or a repair is about.</summary>
public enum BackendRole
{
    /// <summary>The backend being migrated from (in practice in-memory).</summary>
    Source,

    /// <summary>The backend being migrated to (in practice PostgreSQL).</summary>
    Target,
}
