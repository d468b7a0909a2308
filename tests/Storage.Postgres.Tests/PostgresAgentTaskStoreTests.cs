namespace Storage.Postgres.Tests;

[RequiresPostgres]
public sealed class PostgresAgentTaskStoreTests(PostgresDatabaseFixture database) : AgentTaskStoreContractTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<IAgentTaskStore> CreateStoreAsync(TimeProvider time, IStorageIdGenerator ids)
        => new PostgresAgentTaskStore(await database.EmptySchemaAsync(), time, ids);
}
