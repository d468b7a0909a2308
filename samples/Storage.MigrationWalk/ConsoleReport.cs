using System.Globalization;
using System.Text;

namespace Storage.MigrationWalk;

/// <summary>The walk's table on the terminal: one row per phase, then a summary.</summary>
public static class ConsoleReport
{
    /// <summary>The table's header.</summary>
    public static string Header { get; } =
        $"{"phase",-26} {"requests",9} {"req/s",7} {"errors",6} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"mem p99",8} {"pg p99",7} {"pg reads",8} {"diffs",6} {"journal",7}"
        + Environment.NewLine + new string('-', 26 + 9 + 7 + 6 + 7 + 7 + 7 + 8 + 7 + 8 + 6 + 7 + 11);

    /// <summary>One phase's row.</summary>
    public static string Row(PhaseResult phase)
    {
        ArgumentNullException.ThrowIfNull(phase);
        var diffs = phase.Checks.Differences is { } d ? d.ToString("N0", CultureInfo.InvariantCulture) : "-";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{phase.Name,-26} {phase.Requests.Count,9:N0} {phase.Rate,7:N0} {phase.Errors,6:N0} {phase.Requests.P50,7:N2} {phase.Requests.P95,7:N2} {phase.Requests.P99,7:N2} {Ms(phase.InMemory),8} {Ms(phase.Postgres),7} {phase.PostgresReadShare,8:P0} {diffs,6} {phase.Checks.JournalDepth,7:N0}");
    }

    /// <summary>The lines after the table: totals, the agent runners' races, the final check and the verdict.</summary>
    public static string Summary(WalkResult walk)
    {
        ArgumentNullException.ThrowIfNull(walk);
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"requests: {walk.Phases.Sum(p => p.Requests.Count):N0}, errors: {walk.Errors:N0}, stale reads: {walk.Phases.Sum(p => p.StaleReads):N0}");
        text.AppendLine(inv, $"claim races: {walk.Phases.Sum(p => p.ClaimRaces):N0}, claimed twice: {walk.Phases.Sum(p => p.DoubleClaims):N0}, updates lost: {walk.Phases.Sum(p => p.LostUpdates):N0}");
        foreach (var phase in walk.Phases.Where(p => p.Errors > 0))
        {
            text.AppendLine(inv, $"errors in {phase.Name}: {string.Join(", ", phase.ErrorsByKind.Select(e => $"{e.Key} x{e.Value}"))}");
        }

        text.AppendLine(inv, $"final check: {walk.FinalCompared:N0} records compared, {walk.FinalDifferences:N0} differences");
        text.Append(walk.Succeeded ? "walk completed: zero errors, zero final differences" : "walk FAILED: see the errors and differences above");
        return text.ToString();
    }

    private static string Ms(LatencyStats stats) => stats.Count == 0 ? "-" : stats.P99.ToString("N2", CultureInfo.InvariantCulture);
}
