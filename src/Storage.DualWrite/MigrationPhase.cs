namespace Storage.DualWrite;

/// <summary>The phases of a migration from the source backend (in-memory) to the target backend (PostgreSQL).</summary>
public enum MigrationPhase
{
    /// <summary>Phase 1: only the source is read and written.</summary>
    SourceOnly = 1,

    /// <summary>Phase 2: writes go to the source, then to the target; reads come from the source.</summary>
    DualWrite = 2,

    /// <summary>Phase 3: as <see cref="DualWrite"/>, with a share of reads served by the target.</summary>
    ReadShift = 3,

    /// <summary>Phase 4: writes go to the target first (its failure fails the call), then to the source; reads come from the target.</summary>
    TargetPrimary = 4,

    /// <summary>Phase 5: callers only touch the target; the source is kept up to date in the background.</summary>
    TargetOnly = 5,
}
