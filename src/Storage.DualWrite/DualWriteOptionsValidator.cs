using Microsoft.Extensions.Options;

namespace Storage.DualWrite;

/// <summary>Checks <see cref="DualWriteOptions"/> at start-up; each failure names the setting.</summary>
public sealed class DualWriteOptionsValidator : IValidateOptions<DualWriteOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DualWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(bool ok, string setting, string rule)
        {
            if (!ok)
            {
                failures.Add($"{DualWriteOptions.SectionName}:{setting} {rule}.");
            }
        }

        Check(!string.IsNullOrWhiteSpace(options.JournalPath), nameof(options.JournalPath), "is required");
        Check(options.SecondaryTimeout > TimeSpan.FromMilliseconds(10) && options.SecondaryTimeout < TimeSpan.FromDays(1), nameof(options.SecondaryTimeout), "must be more than 10 ms and less than a day");
        Check(options.SecondaryRetries is >= 0 and <= 5, nameof(options.SecondaryRetries), "must be 0..5");
        Check(options.SecondaryRetryDelay >= TimeSpan.Zero && options.SecondaryRetryDelay <= TimeSpan.FromSeconds(1), nameof(options.SecondaryRetryDelay), "must be 0..1 s");
        Check(options.BreakerFailureRatio is > 0 and <= 1, nameof(options.BreakerFailureRatio), "must be above 0 and at most 1");
        Check(options.BreakerMinimumThroughput >= 2, nameof(options.BreakerMinimumThroughput), "must be at least 2");
        Check(options.BreakerSamplingDuration > TimeSpan.FromMilliseconds(500), nameof(options.BreakerSamplingDuration), "must be more than 0.5 s");
        Check(options.BreakerBreakDuration > TimeSpan.FromMilliseconds(500), nameof(options.BreakerBreakDuration), "must be more than 0.5 s");
        Check(options.ReconcileInterval > TimeSpan.Zero, nameof(options.ReconcileInterval), "must be more than 0");
        Check(options.ReconcileBatchSize >= 1, nameof(options.ReconcileBatchSize), "must be at least 1");
        Check(options.ReconcileParallelism is >= 1 and <= 64, nameof(options.ReconcileParallelism), "must be between 1 and 64");
        Check(options.ShadowSampleRate is >= 0 and <= 1, nameof(options.ShadowSampleRate), "must be 0..1");
        Check(options.ShadowTimeout > TimeSpan.Zero, nameof(options.ShadowTimeout), "must be more than 0");
        Check(options.ShadowQueueCapacity >= 1, nameof(options.ShadowQueueCapacity), "must be at least 1");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
