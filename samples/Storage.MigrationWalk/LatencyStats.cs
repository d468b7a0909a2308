namespace Storage.MigrationWalk;

/// <summary>Percentiles of a set of latencies, in milliseconds.</summary>
public sealed record LatencyStats(long Count, double P50, double P95, double P99, double Max)
{
    /// <summary>No sample.</summary>
    public static LatencyStats Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>The nearest-rank percentiles of <paramref name="samples"/> (sorted here; the list is reordered).</summary>
    public static LatencyStats Of(List<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return Empty;
        }

        samples.Sort();
        return new(samples.Count, Rank(samples, 0.50), Rank(samples, 0.95), Rank(samples, 0.99), samples[^1]);
    }

    private static double Rank(List<double> sorted, double quantile)
        => sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
}
