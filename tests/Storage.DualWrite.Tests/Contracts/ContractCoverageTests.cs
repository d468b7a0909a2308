namespace Storage.DualWrite.Tests.Contracts;

/// <summary>Fails when the decorator stops running one of the contract suites, in-memory or on PostgreSQL.</summary>
public sealed class ContractCoverageTests
{
    [Theory]
    [InlineData(typeof(DualWriteGraphContract))]
    [InlineData(typeof(DualWriteAgentTaskContract))]
    [InlineData(typeof(PostgresGraphContract))]
    [InlineData(typeof(PostgresTaskContract))]
    public void Every_contract_suite_has_concrete_subclasses_here(Type suite)
        => Assert.Contains(typeof(ContractCoverageTests).Assembly.GetTypes(), t => t.IsSubclassOf(suite) && !t.IsAbstract);
}
