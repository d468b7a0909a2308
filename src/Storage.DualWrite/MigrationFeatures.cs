namespace Storage.DualWrite;

/// <summary>The names of the feature flags (Microsoft.FeatureManagement) that show the migration flags to the rest of the host.</summary>
public static class MigrationFeatures
{
    /// <summary>On in phases 2-4 (<see cref="MigrationFlags.DualWriteMode"/>).</summary>
    public const string DualWriteMode = "Storage.DualWriteMode";

    /// <summary>A percentage feature: on for <see cref="MigrationFlags.ReadFromPostgresPercent"/> percent of evaluations.</summary>
    public const string ReadFromPostgres = "Storage.ReadFromPostgres";

    /// <summary>On in phase 4 (<see cref="MigrationFlags.PostgresPrimary"/>).</summary>
    public const string PostgresPrimary = "Storage.PostgresPrimary";

    /// <summary>On in phase 5 (<see cref="MigrationFlags.PostgresOnly"/>).</summary>
    public const string PostgresOnly = "Storage.PostgresOnly";
}
