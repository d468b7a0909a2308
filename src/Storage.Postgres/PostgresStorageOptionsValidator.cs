using Microsoft.Extensions.Options;

namespace Storage.Postgres;

/// <summary>Validates <see cref="PostgresStorageOptions"/> at start. Messages never repeat the connection string.</summary>
internal sealed class PostgresStorageOptionsValidator : IValidateOptions<PostgresStorageOptions>
{
    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    public ValidateOptionsResult Validate(string? name, PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(PostgresStorageOptions.ConnectionString)} is required.");
        }
        else if (PostgresConnectionString.Problem(options.ConnectionString) is { } connectionProblem)
        {
            failures.Add($"{nameof(PostgresStorageOptions.ConnectionString)} {connectionProblem}");
        }

        if (PostgresIdentifier.Problem(options.Schema) is { } problem)
        {
            failures.Add($"{nameof(PostgresStorageOptions.Schema)} {problem}.");
        }

        if (options.CommandTimeout < MinTimeout || options.CommandTimeout > MaxTimeout)
        {
            failures.Add($"{nameof(PostgresStorageOptions.CommandTimeout)} must be between {MinTimeout} and {MaxTimeout}.");
        }

        if (options.MaxRetryAttempts is < 0 or > PostgresResilience.MaxAllowedRetryAttempts)
        {
            failures.Add($"{nameof(PostgresStorageOptions.MaxRetryAttempts)} must be between 0 and {PostgresResilience.MaxAllowedRetryAttempts}.");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > MaxRetryDelay)
        {
            failures.Add($"{nameof(PostgresStorageOptions.RetryDelay)} must be between {TimeSpan.Zero} and {MaxRetryDelay}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
