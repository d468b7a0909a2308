using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Storage.Benchmarks;

/// <summary>Runs the machine's pgbench against a database, as the reference for what one connection can do.</summary>
internal static partial class Pgbench
{
    public static string Find()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", "pgbench"))
            : [];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("pgbench not found under /usr/lib/postgresql/*/bin (apt-get install postgresql).");
    }

    /// <summary>Runs pgbench with <paramref name="arguments"/> against the database; returns its tps.</summary>
    public static async Task<double> TpsAsync(string connectionString, params string[] arguments)
    {
        var output = await RunAsync(connectionString, arguments);
        var match = TpsPattern().Match(output);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench printed no tps:\n{output}");
    }

    public static async Task<string> RunAsync(string connectionString, params string[] arguments)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Find())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-h", c.Host!, "-p", c.Port.ToString(CultureInfo.InvariantCulture), "-U", c.Username!, .. arguments, c.Database!])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout + await stderr
            : throw new InvalidOperationException($"pgbench {string.Join(' ', arguments)} failed: {await stderr}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();
}
