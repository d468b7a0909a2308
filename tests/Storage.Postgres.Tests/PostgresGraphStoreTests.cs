namespace Storage.Postgres.Tests;

[RequiresPostgres]
public sealed class PostgresGraphStoreTests(PostgresDatabaseFixture database) : GraphStoreContractTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<IGraphStore> CreateStoreAsync(TimeProvider time, IStorageIdGenerator ids)
        => new PostgresGraphStore(await database.EmptySchemaAsync(), time, ids);
}
