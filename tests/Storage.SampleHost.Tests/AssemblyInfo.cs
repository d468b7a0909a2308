// Skips the tests of classes marked [RequiresPostgres] when no PostgreSQL is available (not under CI=true).
[assembly: TestFramework("Storage.Testing.PostgresTestFramework", "Storage.Testing")]
