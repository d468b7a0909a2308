using System.Globalization;
using Storage.Consistency;

namespace ConsistencyChecker.Output;

/// <summary>Writes a check or repair report as aligned text for people.</summary>
internal static class ReportTable
{
    private static readonly string[] CheckColumns = ["kind", "source", "target", "equal", "missing", "extra", "different", "changed"];
    // "how": written by a bulk load or in batches (not shown for a dry run, which writes nothing).
    private static readonly string[] RepairColumns = ["kind", "written", "deleted", "extras kept", "not deletable", "derived only", "failed", "how"];

    public static void Write(TextWriter output, SideInfo source, SideInfo target, ConsistencyReport check, RepairReport? repair)
    {
        output.WriteLine($"source  {Side(source)}");
        output.WriteLine($"target  {Side(target)}");
        if (check.ChangedAfter is { } after)
        {
            output.WriteLine($"records a live side stamped after {Time(after)} count as changed, not as differences");
        }

        output.WriteLine();
        var rows = check.Kinds.Select(k => new[]
        {
            k.Kind.Name(), N(k.SourceRecords), N(k.TargetRecords), N(k.Equal), N(k.MissingInTarget), N(k.ExtraInTarget), N(k.Different), N(k.ChangedSinceSnapshot),
        }).ToList();
        rows.Add(
        [
            "total", N(check.Kinds.Sum(k => k.SourceRecords)), N(check.Kinds.Sum(k => k.TargetRecords)), N(check.Kinds.Sum(k => k.Equal)),
            N(check.MissingInTarget), N(check.ExtraInTarget), N(check.Different), N(check.ChangedSinceSnapshot),
        ]);
        WriteTable(output, CheckColumns, rows);

        if (check.Recheck is { } recheck)
        {
            output.WriteLine();
            output.WriteLine(
                $"recheck after {recheck.Delay.TotalSeconds:0.#} s: {N(recheck.Rechecked)} keys read again, {N(recheck.Resolved)} resolved, " +
                $"{N(recheck.Changed)} changed, {N(recheck.StillDifferent)} still different" +
                (recheck.NotRechecked > 0 ? $", {N(recheck.NotRechecked)} past the limit not rechecked" : ""));
        }

        WriteSamples(output, check);
        if (repair is not null)
        {
            output.WriteLine();
            output.WriteLine(repair.DryRun ? "repair (dry run: nothing written; what a repair would do)" : "repair");
            var columns = repair.DryRun ? RepairColumns[..^1] : RepairColumns;
            WriteTable(output, columns, repair.Kinds.Select(k => new[]
            {
                k.Kind.Name(), N(k.Written), N(k.Deleted), N(k.ExtrasKept), N(k.ExtrasNotDeletable), N(k.DerivedOnly), N(k.Failed),
                k.BulkLoaded ? "bulk load" : k.Written + k.Deleted > 0 ? "batches" : "",
            }.Take(columns.Length).ToArray()).ToList());
            foreach (var kind in repair.Kinds)
            {
                var verb = repair.DryRun ? "would write" : "wrote";
                WriteKeys(output, $"{verb} {kind.Kind.Name()}", kind.WrittenSample, kind.Written);
                WriteKeys(output, $"{(repair.DryRun ? "would delete" : "deleted")} {kind.Kind.Name()}", kind.DeletedSample, kind.Deleted);
                WriteKeys(output, $"refused {kind.Kind.Name()}", kind.FailedSample, kind.Failed);
                if (kind.FirstFailure is { } failure)
                {
                    output.WriteLine($"  first refusal: {failure}");
                }
            }
        }
    }

    private static void WriteSamples(TextWriter output, ConsistencyReport check)
    {
        foreach (var kind in check.Kinds)
        {
            if (kind.Differences == 0 && kind.ChangedSinceSnapshot == 0)
            {
                continue;
            }

            output.WriteLine();
            output.WriteLine($"{kind.Kind.Name()}:");
            if (kind.DifferentFields.Count > 0)
            {
                output.WriteLine($"  differing fields: {string.Join(", ", kind.DifferentFields.Select(f => $"{f.Key} ({N(f.Value)})"))}");
            }

            WriteKeys(output, "missing in target", kind.MissingSample, kind.MissingInTarget);
            WriteKeys(output, "extra in target", kind.ExtraSample, kind.ExtraInTarget);
            if (kind.Different > 0)
            {
                output.WriteLine($"  different ({N(kind.Different)}):");
                foreach (var sample in kind.DifferentSample)
                {
                    output.WriteLine($"    {sample.Key}  [{string.Join(", ", sample.Fields)}]");
                }

                More(output, kind.DifferentSample.Count, kind.Different);
            }

            WriteKeys(output, "changed since snapshot", kind.ChangedSample, kind.ChangedSinceSnapshot);
        }
    }

    private static void WriteKeys(TextWriter output, string title, IReadOnlyList<RecordKey> keys, long count)
    {
        if (count == 0)
        {
            return;
        }

        output.WriteLine($"  {title} ({N(count)}):");
        foreach (var key in keys)
        {
            output.WriteLine($"    {key}");
        }

        More(output, keys.Count, count);
    }

    private static void More(TextWriter output, int shown, long count)
    {
        if (count > shown)
        {
            output.WriteLine($"    ... and {N(count - shown)} more");
        }
    }

    private static void WriteTable(TextWriter output, string[] columns, List<string[]> rows)
    {
        var widths = columns.Select((c, i) => Math.Max(c.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Row(columns, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Row(row, widths));
        }
    }

    private static string Row(string[] cells, int[] widths)
        => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();

    private static string Side(SideInfo side)
        => side.TakenAt is { } taken ? $"{side.Description} (taken at {Time(taken)})" : side.Description;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff 'UTC'", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
