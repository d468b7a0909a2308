using Microsoft.Extensions.Options;

namespace Storage.Consistency;

/// <summary>Checks <see cref="ConsistencyCheckServiceOptions"/> at start-up; each failure names the setting.</summary>
public sealed class ConsistencyCheckServiceOptionsValidator : IValidateOptions<ConsistencyCheckServiceOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ConsistencyCheckServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(bool ok, string setting, string rule)
        {
            if (!ok)
            {
                failures.Add($"{ConsistencyCheckServiceOptions.SectionName}:{setting} {rule}.");
            }
        }

        Check(options.Interval >= TimeSpan.FromSeconds(1) && options.Interval <= TimeSpan.FromDays(7), nameof(options.Interval), "must be 1 second to 7 days");
        Check(options.InitialDelay >= TimeSpan.Zero && options.InitialDelay <= TimeSpan.FromDays(1), nameof(options.InitialDelay), "must be 0 to 1 day");
        Check(options.BatchSize is >= 1 and <= 100_000, nameof(options.BatchSize), "must be 1..100000");
        Check(options.RecheckDelay >= TimeSpan.Zero && options.RecheckDelay < options.Interval, nameof(options.RecheckDelay), "must be 0 or more and less than the interval");
        Check(options.RecheckLimit is >= 1 and <= 1_000_000, nameof(options.RecheckLimit), "must be 1..1000000");
        Check(options.SampleSize is >= 0 and <= 1_000, nameof(options.SampleSize), "must be 0..1000");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
