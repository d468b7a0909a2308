using System.Text.Json;
using Storage.Consistency;

namespace ConsistencyChecker.Output;

/// <summary>Writes a check or repair report as the documented JSON document (schema_version 1).</summary>
internal static class ReportJson
{
    public const int SchemaVersion = 1;

    public static void Write(TextWriter output, string command, SideInfo source, SideInfo target, ConsistencyReport check, RepairReport? repair, ExitCode exitCode)
    {
        var document = new CheckOutput(
            SchemaVersion,
            command,
            Side(source),
            Side(target),
            check.StartedAt,
            check.CompletedAt,
            Math.Round((check.CompletedAt - check.StartedAt).TotalSeconds, 3),
            check.ChangedAfter,
            check.IsConsistent,
            (int)exitCode,
            new CountsOutput(
                check.Compared,
                check.Kinds.Sum(k => k.Equal),
                check.MissingInTarget,
                check.ExtraInTarget,
                check.Different,
                check.ChangedSinceSnapshot,
                check.Differences),
            [.. check.Kinds.Select(Kind)],
            check.Recheck is { } r ? new RecheckOutput(r.Delay.TotalSeconds, r.Rechecked, r.Resolved, r.Changed, r.StillDifferent, r.NotRechecked) : null,
            repair is null ? null : Repair(repair));
        output.WriteLine(JsonSerializer.Serialize(document, CheckerJsonContext.Output.CheckOutput));
    }

    public static IReadOnlyList<string> Key(RecordKey key) => key.Parts;

    private static SideOutput Side(SideInfo side) => new(side.Type, side.Description, side.TakenAt);

    private static KindOutput Kind(KindReport kind) => new(
        kind.Kind.Name(),
        kind.SourceRecords,
        kind.TargetRecords,
        kind.Compared,
        kind.Equal,
        kind.MissingInTarget,
        kind.ExtraInTarget,
        kind.Different,
        kind.ChangedSinceSnapshot,
        kind.NotRechecked,
        kind.DifferentFields,
        new SamplesOutput(
            [.. kind.MissingSample.Select(Key)],
            [.. kind.ExtraSample.Select(Key)],
            [.. kind.DifferentSample.Select(s => new DifferentOutput(Key(s.Key), s.Fields))],
            [.. kind.ChangedSample.Select(Key)]));

    private static RepairOutput Repair(RepairReport repair) => new(
        repair.DryRun,
        repair.DeleteExtras,
        repair.IsComplete,
        repair.Written,
        repair.Deleted,
        repair.Failed,
        repair.Unrepaired,
        [.. repair.Kinds.Select(k => new KindRepairOutput(
            k.Kind.Name(),
            k.Written,
            k.Deleted,
            k.ExtrasKept,
            k.ExtrasNotDeletable,
            k.DerivedOnly,
            k.DerivedUnexplained,
            k.Failed,
            k.FirstFailure,
            k.BulkLoaded,
            [.. k.WrittenSample.Select(Key)],
            [.. k.DeletedSample.Select(Key)],
            [.. k.FailedSample.Select(Key)]))]);
}
