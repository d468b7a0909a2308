using Npgsql;
using Storage.Postgres;

namespace Storage.DualWrite.Tests.Contracts;

// The contract suites against the decorator with PostgreSQL as the target, in the read-shift and PostgreSQL-primary phases.

[RequiresPostgres]
public sealed class PostgresReadShiftGraphContractAt50(PostgresDatabaseFixture database)
    : PostgresGraphContract(database, MigrationFlags.For(MigrationPhase.ReadShift, 50)), IClassFixture<PostgresDatabaseFixture>;

[RequiresPostgres]
public sealed class PostgresTargetPrimaryGraphContract(PostgresDatabaseFixture database)
    : PostgresGraphContract(database, MigrationFlags.For(MigrationPhase.TargetPrimary)), IClassFixture<PostgresDatabaseFixture>;

[RequiresPostgres]
public sealed class PostgresReadShiftTaskContractAt50(PostgresDatabaseFixture database)
    : PostgresTaskContract(database, MigrationFlags.For(MigrationPhase.ReadShift, 50)), IClassFixture<PostgresDatabaseFixture>;

[RequiresPostgres]
public sealed class PostgresTargetPrimaryTaskContract(PostgresDatabaseFixture database)
    : PostgresTaskContract(database, MigrationFlags.For(MigrationPhase.TargetPrimary)), IClassFixture<PostgresDatabaseFixture>;

public abstract class PostgresGraphContract(PostgresDatabaseFixture database, MigrationFlags flags) : DualWriteGraphContract
{
    private NpgsqlDataSource? _dataSource;

    protected override MigrationFlags Flags => flags;

    protected override async Task<IGraphStore> CreateTargetAsync(TimeProvider time, IStorageIdGenerator ids)
    {
        _dataSource = await database.CreateSchemaAsync();
        return new PostgresGraphStore(_dataSource, time, ids);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}

public abstract class PostgresTaskContract(PostgresDatabaseFixture database, MigrationFlags flags) : DualWriteAgentTaskContract
{
    private NpgsqlDataSource? _dataSource;

    protected override MigrationFlags Flags => flags;

    protected override async Task<IAgentTaskStore> CreateTargetAsync(TimeProvider time, IStorageIdGenerator ids)
    {
        _dataSource = await database.CreateSchemaAsync();
        return new PostgresAgentTaskStore(_dataSource, time, ids);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
