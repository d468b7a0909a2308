namespace Storage.Testing;

/// <summary>
/// Marks a test class that needs PostgreSQL. With <see cref="PostgresTestFramework"/> registered for the test
/// assembly, its tests are reported as skipped (with an install hint) when no server is available, except under
/// CI, where they run and fail loudly.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class RequiresPostgresAttribute : Attribute;
