using System.Diagnostics;

namespace Storage.Benchmarks;

/// <summary>Latency samples of one operation, and the rate of a timed loop.</summary>
internal static class Latency
{
    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times, one after another; returns (p50, p95, p99) in ms.</summary>
    public static async Task<(double P50, double P95, double P99)> PercentilesAsync(int count, Func<int, Task> operation)
    {
        for (var i = 0; i < Math.Min(50, count); i++)
        {
            await operation(i); // warm-up: plans cached, connection open
        }

        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation(i);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return (At(samples, 0.50), At(samples, 0.95), At(samples, 0.99));
    }

    /// <summary>Calls <paramref name="operation"/> in a loop for <paramref name="seconds"/>; returns operations per second.</summary>
    public static async Task<double> RateAsync(int seconds, Func<long, Task> operation)
    {
        for (var i = 0; i < 200; i++)
        {
            await operation(-i - 1);
        }

        var stopwatch = Stopwatch.StartNew();
        long n = 0;
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            await operation(n++);
        }

        return n / stopwatch.Elapsed.TotalSeconds;
    }

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
