using Npgsql;

namespace Storage.Postgres;

/// <summary>
/// Builds the <see cref="NpgsqlDataSource"/> the stores expect: its connections' search path is the store's schema.
/// A connection string naming several hosts (<c>Host=primary,replica;Port=5432,5433</c> in libpq's syntax, or
/// Npgsql's <c>Host=primary:5432,replica:5433</c>), with or without <c>Target Session Attributes</c>, gives
/// Npgsql's multi-host data source, which fails over between the hosts.
/// </summary>
public static class PostgresStorageDataSource
{
    /// <summary>A data source for <see cref="PostgresStorageOptions.ConnectionString"/> whose search path is the options' schema.</summary>
    /// <exception cref="ArgumentException">The schema is not a simple identifier, or the connection string cannot be parsed (the message does not repeat it).</exception>
    public static NpgsqlDataSource Create(PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreateBuilder(options.ConnectionString, options.Schema, options.CommandTimeout).Build();
    }

    /// <summary>A data source for <paramref name="connectionString"/> whose search path is <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">The schema is not a simple identifier, or the connection string cannot be parsed (the message does not repeat it).</exception>
    public static NpgsqlDataSource Create(string connectionString, string schema)
        => CreateBuilder(connectionString, schema, commandTimeout: null).Build();

    /// <summary>A data source builder for the schema, for callers that configure more (logging, type mappings) before building.</summary>
    /// <exception cref="ArgumentException">The schema is not a simple identifier, or the connection string cannot be parsed (the message does not repeat it).</exception>
    public static NpgsqlDataSourceBuilder CreateBuilder(string connectionString, string schema, TimeSpan? commandTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        PostgresIdentifier.Require(schema, nameof(schema));
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.Normalize(connectionString));
        builder.ConnectionStringBuilder.SearchPath = schema;
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The stores run a small, fixed set of statements: preparing them on each connection saves the
            // server a parse and plan per call (about a third of a simple keyed read).
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        if (commandTimeout is { } timeout)
        {
            builder.ConnectionStringBuilder.CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);
        }

        return builder;
    }
}
