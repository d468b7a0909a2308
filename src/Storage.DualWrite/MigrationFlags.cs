namespace Storage.DualWrite;

/// <summary>
/// The migration settings, as operators set them. Immutable; a change is a new instance. The phase follows from the
/// flags: <see cref="PostgresOnly"/> gives phase 5, else <see cref="PostgresPrimary"/> phase 4, else
/// <see cref="DualWriteMode"/> phase 2 (phase 3 when <see cref="ReadFromPostgresPercent"/> is above 0), else phase 1.
/// </summary>
/// <param name="DualWriteMode">Write both backends (environment variable <c>DUAL_WRITE_MODE</c>).</param>
/// <param name="ReadFromPostgresPercent">0..100: the share of reads served by the target (<c>READ_FROM_POSTGRES_PERCENT</c>); needs dual write.</param>
/// <param name="PostgresPrimary">The target is authoritative (<c>POSTGRES_PRIMARY</c>); needs dual write.</param>
/// <param name="PostgresOnly">Callers only touch the target (<c>POSTGRES_ONLY</c>).</param>
public sealed record MigrationFlags(bool DualWriteMode, int ReadFromPostgresPercent, bool PostgresPrimary, bool PostgresOnly)
{
    /// <summary>Phase 1: everything off.</summary>
    public static MigrationFlags Off { get; } = new(false, 0, false, false);

    /// <summary>The phase these flags select.</summary>
    public MigrationPhase Phase => PostgresOnly ? MigrationPhase.TargetOnly
        : PostgresPrimary ? MigrationPhase.TargetPrimary
        : DualWriteMode ? (ReadFromPostgresPercent > 0 ? MigrationPhase.ReadShift : MigrationPhase.DualWrite)
        : MigrationPhase.SourceOnly;

    /// <summary>The backend whose write decides the outcome of a call: the source in phases 1-3, the target in 4-5.</summary>
    public BackendRole Authoritative => PostgresOnly || PostgresPrimary ? BackendRole.Target : BackendRole.Source;

    /// <summary>Flags for a phase, with the given read share for phase 3 (ignored otherwise; phases 4 and 5 read the target).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The phase is not defined, or the percent is not 1..100 for phase 3.</exception>
    public static MigrationFlags For(MigrationPhase phase, int readFromPostgresPercent = 0) => phase switch
    {
        MigrationPhase.SourceOnly => Off,
        MigrationPhase.DualWrite => new(true, 0, false, false),
        MigrationPhase.ReadShift when readFromPostgresPercent is >= 1 and <= 100 => new(true, readFromPostgresPercent, false, false),
        MigrationPhase.TargetPrimary => new(true, 100, true, false),
        MigrationPhase.TargetOnly => new(true, 100, true, true),
        _ => throw new ArgumentOutOfRangeException(nameof(phase), $"{phase} with {readFromPostgresPercent}% is not a valid phase."),
    };

    /// <summary>Why these flags cannot be used together, naming the setting; null when they are valid.</summary>
    public string? FindProblem()
    {
        if (ReadFromPostgresPercent is < 0 or > 100)
        {
            return $"{MigrationSettings.ReadFromPostgresPercent} must be between 0 and 100 (got {ReadFromPostgresPercent}).";
        }

        if (PostgresOnly)
        {
            return null;
        }

        if (ReadFromPostgresPercent > 0 && !DualWriteMode)
        {
            return $"{MigrationSettings.ReadFromPostgresPercent} is {ReadFromPostgresPercent} but {MigrationSettings.DualWriteMode} is off: reads can only move to PostgreSQL while it is written.";
        }

        return PostgresPrimary && !DualWriteMode
            ? $"{MigrationSettings.PostgresPrimary} is on but {MigrationSettings.DualWriteMode} is off: the in-memory store must still be written in phase 4."
            : null;
    }
}
