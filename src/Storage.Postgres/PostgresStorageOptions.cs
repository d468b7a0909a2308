namespace Storage.Postgres;

/// <summary>Settings of the PostgreSQL backend, validated when the host starts.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>
    /// The Npgsql connection string. Required. Never logged nor put in error messages (it may hold a password).
    /// Its search path is replaced by <see cref="Schema"/>. It may name several hosts, in Npgsql's syntax
    /// (<c>Host=a:5432,b:5433</c>) or libpq's (<c>Host=a,b;Port=5432,5433</c>), with <c>Target Session Attributes</c>
    /// (for example <c>prefer-primary</c> or <c>read-write</c>) choosing among them.
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

    /// <summary>
    /// How many times an operation that is safe to repeat is retried after a transient failure, 0 (no retries) to
    /// <see cref="PostgresResilience.MaxAllowedRetryAttempts"/>. <value>3</value> by default. See <see cref="PostgresResilience"/>
    /// for what is retried and what never is.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = PostgresResilience.DefaultMaxRetryAttempts;

    /// <summary>
    /// The median delay before the first retry; each later one doubles, with jitter. 0 to 10 seconds.
    /// <value>100 milliseconds</value> by default.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = PostgresResilience.DefaultRetryDelay;
}
