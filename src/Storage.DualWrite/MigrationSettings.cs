namespace Storage.DualWrite;

/// <summary>
/// Where the migration flags live in configuration. Each setting is read from the reloadable section
/// <see cref="SectionName"/> first; when the section does not set it, from its environment variable (a top-level
/// configuration key, as <c>AddEnvironmentVariables()</c> provides it). Unset means off (or 0).
/// </summary>
public static class MigrationSettings
{
    /// <summary>The configuration section: <value>Storage:Migration</value>.</summary>
    public const string SectionName = "Storage:Migration";

    /// <summary>Key of the dual-write switch in the section: <value>DualWriteMode</value>.</summary>
    public const string DualWriteMode = "DualWriteMode";

    /// <summary>Key of the read share in the section: <value>ReadFromPostgresPercent</value>.</summary>
    public const string ReadFromPostgresPercent = "ReadFromPostgresPercent";

    /// <summary>Key of the phase-4 switch in the section: <value>PostgresPrimary</value>.</summary>
    public const string PostgresPrimary = "PostgresPrimary";

    /// <summary>Key of the phase-5 switch in the section: <value>PostgresOnly</value>.</summary>
    public const string PostgresOnly = "PostgresOnly";

    /// <summary>The environment variable for <see cref="DualWriteMode"/>: <value>DUAL_WRITE_MODE</value>.</summary>
    public const string DualWriteModeVariable = "DUAL_WRITE_MODE";

    /// <summary>The environment variable for <see cref="ReadFromPostgresPercent"/>: <value>READ_FROM_POSTGRES_PERCENT</value>.</summary>
    public const string ReadFromPostgresPercentVariable = "READ_FROM_POSTGRES_PERCENT";

    /// <summary>The environment variable for <see cref="PostgresPrimary"/>: <value>POSTGRES_PRIMARY</value>.</summary>
    public const string PostgresPrimaryVariable = "POSTGRES_PRIMARY";

    /// <summary>The environment variable for <see cref="PostgresOnly"/>: <value>POSTGRES_ONLY</value>.</summary>
    public const string PostgresOnlyVariable = "POSTGRES_ONLY";
}
