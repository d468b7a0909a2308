using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Storage.MigrationWalk;

/// <summary>Writes the walk's report: an HTML page with the phase table and a latency chart (inline SVG), and the same figures as JSON.</summary>
public static class HtmlReport
{
    private const int Width = 1000;
    private const int Height = 320;
    private const int Left = 60;
    private const int Bottom = 40;
    private const int Top = 20;
    private static readonly JsonSerializerOptions JsonReport = new() { WriteIndented = true, IncludeFields = true };

    /// <summary>Writes report.html and report.json to <paramref name="folder"/>; returns the HTML file's path.</summary>
    public static async Task<string> WriteAsync(WalkResult walk, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(walk);
        var html = Path.Combine(folder, "report.html");
        await File.WriteAllTextAsync(html, Render(walk), cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(folder, "report.json"),
            JsonSerializer.Serialize(walk, JsonReport),
            cancellationToken);
        return html;
    }

    /// <summary>The report page.</summary>
    public static string Render(WalkResult walk)
    {
        ArgumentNullException.ThrowIfNull(walk);
        var inv = CultureInfo.InvariantCulture;
        var o = walk.Options;
        var page = new StringBuilder();
        page.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Migration walk</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; font-size: 14px; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            .ok { color: #186a1d; } .bad { color: #b00020; font-weight: bold; }
            </style></head><body>
            <h1>Migration walk</h1>
            """);
        page.AppendLine(inv, $"<p>{o.Size.Projects:N0} projects, {o.Size.Edges:N0} edges, {o.Size.Contributors:N0} contributors, {o.Size.Assets:N0} assets, {o.Size.Contributions:N0} contributions, {o.Size.Tasks:N0} agent tasks; {o.Rate:N0} requests/s offered; {o.PhaseDuration.TotalSeconds:N0} s per phase{(o.Fault ? $"; PostgreSQL stopped for {o.FaultDuration.TotalSeconds:N0} s in phases 2 and 3 (50%)" : "")}. Setup (data set, snapshot, host start) {walk.SetupSeconds:N1} s. {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.</p>");
        var verdict = walk.Succeeded ? "<p class=\"ok\">Zero errors, zero final differences.</p>" : "<p class=\"bad\">The walk did not meet its bar: see the errors and differences below.</p>";
        page.AppendLine(verdict);
        page.AppendLine("<h2>Request latency over the walk</h2>");
        page.AppendLine(Chart(walk));
        page.AppendLine("<h2>Per phase</h2>");
        page.AppendLine("<table><tr><th>phase</th><th>seconds</th><th>requests</th><th>req/s</th><th>errors</th><th>stale reads</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>in-memory p50 / p95 / p99 ms</th><th>PostgreSQL p50 / p95 / p99 ms</th><th>reads from PostgreSQL</th><th>claim races (double / lost)</th><th>backfilled</th><th>differences</th><th>journal</th><th>fault</th></tr>");
        foreach (var p in walk.Phases)
        {
            page.AppendLine(inv, $"<tr><td>{Encode(p.Name)}</td><td>{p.Seconds:N1}</td><td>{p.Requests.Count:N0}</td><td>{p.Rate:N0}</td><td class=\"{(p.Errors == 0 ? "ok" : "bad")}\">{p.Errors:N0}</td><td>{p.StaleReads:N0}</td><td>{p.Requests.P50:N2}</td><td>{p.Requests.P95:N2}</td><td>{p.Requests.P99:N2}</td><td>{Triple(p.InMemory)}</td><td>{Triple(p.Postgres)}</td><td>{p.PostgresReadShare:P1}</td><td>{p.ClaimRaces:N0} ({p.DoubleClaims} / {p.LostUpdates})</td><td>{(p.Checks.Repaired is { } r ? r.ToString("N0", inv) : "")}</td><td>{(p.Checks.Differences is { } d ? d.ToString("N0", inv) : "")}</td><td>{p.Checks.JournalDepth:N0}</td><td>{(p.Checks.FaultDuration is { } f ? $"{f.TotalSeconds:N0} s" : "")}</td></tr>");
        }

        page.AppendLine("</table>");
        foreach (var p in walk.Phases.Where(p => p.Errors > 0))
        {
            page.AppendLine(inv, $"<p class=\"bad\">Errors in {Encode(p.Name)}: {Encode(string.Join(", ", p.ErrorsByKind.Select(e => $"{e.Key} x{e.Value}")))}</p>");
        }

        page.AppendLine(inv, $"<p>Final check (workload stopped, journal drained): {walk.FinalCompared:N0} records compared, {walk.FinalDifferences:N0} differences.</p>");
        page.AppendLine("<p>Latency is measured by the client for every HTTP request over loopback; the per-backend figures are the host's own <code>storage.dual_write.duration</code> histogram; reads from PostgreSQL are its <code>storage.dual_write.reads</code> counter. Phases include the checker's run at their end.</p>");
        page.AppendLine("</body></html>");
        return page.ToString();
    }

    private static string Triple(LatencyStats s)
        => s.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{s.P50:N2} / {s.P95:N2} / {s.P99:N2}");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>p50 and p99 of each second of the walk, phases as bands, faults in red; a log scale of milliseconds.</summary>
    private static string Chart(WalkResult walk)
    {
        var inv = CultureInfo.InvariantCulture;
        var seconds = walk.Phases.SelectMany(p => p.Timeline).GroupBy(t => (int)t.Second).OrderBy(g => g.Key)
            .Select(g => (Second: g.Key, Stats: LatencyStats.Of([.. g.Select(t => t.Milliseconds)]))).ToList();
        if (seconds.Count == 0)
        {
            return "<p>No request was made.</p>";
        }

        var end = Math.Max(1, seconds[^1].Second + 1);
        var floor = 0.1;
        var ceiling = Math.Max(10, seconds.Max(s => s.Stats.P99) * 1.2);
        double X(double second) => Left + ((Width - Left - 10) * second / end);
        double Y(double ms) => Top + ((Height - Top - Bottom) * (1 - ((Math.Log10(Math.Max(ms, floor)) - Math.Log10(floor)) / (Math.Log10(ceiling) - Math.Log10(floor)))));

        var svg = new StringBuilder();
        svg.AppendLine(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height + 40}\" font-size=\"11\">");
        var cursor = 0.0;
        var shade = false;
        foreach (var phase in walk.Phases)
        {
            var from = cursor;
            var to = phase.Timeline.Count == 0 ? from : phase.Timeline.Max(t => t.Second);
            svg.AppendLine(inv, $"<rect x=\"{X(from):F1}\" y=\"{Top}\" width=\"{Math.Max(0, X(to) - X(from)):F1}\" height=\"{Height - Top - Bottom}\" fill=\"{(shade ? "#f1f4f8" : "#ffffff")}\"/>");
            svg.AppendLine(inv, $"<text x=\"{X(from) + 3:F1}\" y=\"{Height - Bottom + 28 + (shade ? 12 : 0)}\">{Encode(phase.Name)}</text>");
            if (phase.Checks.FaultWindow is { } fault)
            {
                svg.AppendLine(inv, $"<rect x=\"{X(fault.From):F1}\" y=\"{Top}\" width=\"{X(fault.To) - X(fault.From):F1}\" height=\"{Height - Top - Bottom}\" fill=\"#fbe3e6\"><title>PostgreSQL stopped</title></rect>");
            }

            cursor = to;
            shade = !shade;
        }

        foreach (var tick in new[] { 0.1, 1, 10, 100, 1000, 10000 }.Where(t => t <= ceiling))
        {
            svg.AppendLine(inv, $"<line x1=\"{Left}\" x2=\"{Width - 10}\" y1=\"{Y(tick):F1}\" y2=\"{Y(tick):F1}\" stroke=\"#ddd\"/><text x=\"{Left - 6}\" y=\"{Y(tick) + 4:F1}\" text-anchor=\"end\">{tick} ms</text>");
        }

        svg.AppendLine(inv, $"<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"{string.Join(' ', seconds.Select(s => string.Create(inv, $"{X(s.Second):F1},{Y(s.Stats.P50):F1}")))}\"/>");
        svg.AppendLine(inv, $"<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"1.5\" points=\"{string.Join(' ', seconds.Select(s => string.Create(inv, $"{X(s.Second):F1},{Y(s.Stats.P99):F1}")))}\"/>");
        svg.AppendLine(inv, $"<text x=\"{Left + 10}\" y=\"{Top + 12}\" fill=\"#1f77b4\">p50 per second</text><text x=\"{Left + 110}\" y=\"{Top + 12}\" fill=\"#d62728\">p99 per second</text><text x=\"{Left + 210}\" y=\"{Top + 12}\" fill=\"#b00020\">red band: PostgreSQL stopped</text>");
        svg.AppendLine(inv, $"<text x=\"{Width - 10}\" y=\"{Height - Bottom + 14}\" text-anchor=\"end\">{end} s</text>");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
