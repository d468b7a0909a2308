using Storage.DualWrite;

namespace Storage.MigrationWalk;

/// <summary>One step of the walk: the flags it sets, and what else happens in it.</summary>
/// <param name="Name">The name in the report.</param>
/// <param name="Flags">The flags the operator sets.</param>
/// <param name="Fault">Whether PostgreSQL is stopped in it (with <c>--fault</c>).</param>
/// <param name="Backfill">Whether the checker's repair copies the existing data into PostgreSQL in it.</param>
/// <param name="Check">Whether the checker compares the backends at its end.</param>
public sealed record WalkPhase(string Name, MigrationFlags Flags, bool Fault = false, bool Backfill = false, bool Check = true)
{
    /// <summary>
    /// Every phase of the plan and the step back: in-memory only, dual write (with the backfill), reads shifted
    /// 10 %, 50 %, 100 %, PostgreSQL primary, PostgreSQL only, and back to dual write.
    /// </summary>
    public static IReadOnlyList<WalkPhase> All { get; } =
    [
        new("1 in-memory only", MigrationFlags.Off, Check: false),
        new("2 dual write + backfill", MigrationFlags.For(MigrationPhase.DualWrite), Fault: true, Backfill: true),
        new("3 read 10%", MigrationFlags.For(MigrationPhase.ReadShift, 10)),
        new("3 read 50%", MigrationFlags.For(MigrationPhase.ReadShift, 50), Fault: true),
        new("3 read 100%", MigrationFlags.For(MigrationPhase.ReadShift, 100)),
        new("4 PostgreSQL primary", MigrationFlags.For(MigrationPhase.TargetPrimary)),
        new("5 PostgreSQL only", MigrationFlags.For(MigrationPhase.TargetOnly)),
        new("2 dual write (step back)", MigrationFlags.For(MigrationPhase.DualWrite)),
    ];
}
