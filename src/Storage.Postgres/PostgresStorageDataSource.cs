using Npgsql;

namespace Storage.Postgres;

/// <summary>Builds the <see cref="NpgsqlDataSource"/> the stores expect: its connections' search path is the store's schema.</summary>
public static class PostgresStorageDataSource
{
    /// <summary>A data source for <see cref="PostgresStorageOptions.ConnectionString"/> whose search path is the options' schema.</summary>
    /// <exception cref="ArgumentException">The schema is not a simple identifier, or the connection string cannot be parsed.</exception>
    public static NpgsqlDataSource Create(PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreateBuilder(options.ConnectionString, options.Schema, options.CommandTimeout).Build();
    }

    /// <summary>A data source for <paramref name="connectionString"/> whose search path is <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">The schema is not a simple identifier, or the connection string cannot be parsed.</exception>
    public static NpgsqlDataSource Create(string connectionString, string schema)
        => CreateBuilder(connectionString, schema, commandTimeout: null).Build();

    /// <summary>A data source builder for the schema, for callers that configure more (logging, type mappings) before building.</summary>
    /// <exception cref="ArgumentException">The schema is not a simple identifier, or the connection string cannot be parsed.</exception>
    public static NpgsqlDataSourceBuilder CreateBuilder(string connectionString, string schema, TimeSpan? commandTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        PostgresIdentifier.Require(schema, nameof(schema));
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.SearchPath = schema;
        if (commandTimeout is { } timeout)
        {
            builder.ConnectionStringBuilder.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        }

        return builder;
    }
}
