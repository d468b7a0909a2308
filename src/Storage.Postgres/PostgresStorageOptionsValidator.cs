using Microsoft.Extensions.Options;
using Npgsql;

namespace Storage.Postgres;

/// <summary>Validates <see cref="PostgresStorageOptions"/> at start. Messages never repeat the connection string.</summary>
internal sealed class PostgresStorageOptionsValidator : IValidateOptions<PostgresStorageOptions>
{
    private static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(PostgresStorageOptions.ConnectionString)} is required.");
        }
        else if (!IsParsable(options.ConnectionString))
        {
            failures.Add($"{nameof(PostgresStorageOptions.ConnectionString)} is not a valid Npgsql connection string.");
        }

        if (PostgresIdentifier.Problem(options.Schema) is { } problem)
        {
            failures.Add($"{nameof(PostgresStorageOptions.Schema)} {problem}.");
        }

        if (options.CommandTimeout < MinTimeout || options.CommandTimeout > MaxTimeout)
        {
            failures.Add($"{nameof(PostgresStorageOptions.CommandTimeout)} must be between {MinTimeout} and {MaxTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsParsable(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The exception's message may quote the connection string; it is not passed on.
            return false;
        }
    }
}
