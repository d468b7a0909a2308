using System.Diagnostics;
using System.Globalization;

namespace Storage.Benchmarks;

/// <summary>
/// Runs the consistency checker (the Release build of tools/ConsistencyChecker) as a child process, timing it and
/// polling its peak resident memory (VmHWM of /proc/&lt;pid&gt;/status, which only grows).
/// </summary>
internal static class CheckerProcess
{
    public sealed record Result(int ExitCode, TimeSpan Elapsed, long PeakBytes, TimeSpan Cpu, string Stdout, string Stderr);

    /// <summary>The checker's dll, built beside this benchmark (same configuration).</summary>
    public static string FindDll()
    {
        // .../benchmarks/Storage.Benchmarks/bin/<Configuration>/net10.0/
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = bin.Parent!.Name;
        var root = bin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "tools", "ConsistencyChecker", "bin", configuration, bin.Name, "ConsistencyChecker.dll");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"{dll} not found: dotnet build -c {configuration} tools/ConsistencyChecker");
    }

    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(FindDll());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var status = $"/proc/{process.Id}/status";
        var stat = $"/proc/{process.Id}/stat";
        long peak = 0;
        var cpu = TimeSpan.Zero;
        var exited = process.WaitForExitAsync();
        while (!exited.IsCompleted)
        {
            peak = Math.Max(peak, ReadPeak(status));
            cpu = ReadCpu(stat) is { } read && read > cpu ? read : cpu;
            await Task.WhenAny(exited, Task.Delay(20));
        }

        await exited;
        stopwatch.Stop();
        return new Result(process.ExitCode, stopwatch.Elapsed, peak, cpu, await stdout, await stderr);
    }

    /// <summary>User plus system CPU time so far (fields 14 and 15 of /proc/&lt;pid&gt;/stat, in clock ticks of 1/100 s).</summary>
    private static TimeSpan? ReadCpu(string stat)
    {
        try
        {
            var text = File.ReadAllText(stat);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static long ReadPeak(string status)
    {
        try
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process has exited between two polls.
        }

        return 0;
    }
}
