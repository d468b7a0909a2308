namespace Storage.Postgres;

/// <summary>Settings of the PostgreSQL backend, validated when the host starts.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>
    /// The Npgsql connection string. Required. Never logged nor put in error messages (it may hold a password).
    /// Its search path is replaced by <see cref="Schema"/>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The schema holding the store's tables, used as the connections' search path: a simple lower-case
    /// identifier (letters, digits, <c>_</c>). <value>storage</value> by default.
    /// </summary>
    public string Schema { get; set; } = "storage";

    /// <summary>How long one command may run before it is canceled; 1 second to 1 hour. <value>30 seconds</value> by default.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a hosted service applies pending migrations when the host starts. <value>false</value> by default:
    /// run <see cref="PostgresMigrator"/> as a deployment step instead, so the application's role can be DML-only.
    /// </summary>
    public bool ApplyMigrationsOnStartup { get; set; }
}
