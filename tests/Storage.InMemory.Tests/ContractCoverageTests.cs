namespace Storage.InMemory.Tests;

/// <summary>Fails when this backend stops running one of the contract suites.</summary>
public sealed class ContractCoverageTests
{
    [Theory]
    [InlineData(typeof(GraphStoreContractTests))]
    [InlineData(typeof(AgentTaskStoreContractTests))]
    public void Every_contract_suite_has_a_concrete_subclass_here(Type suite)
        => Assert.Contains(typeof(ContractCoverageTests).Assembly.GetTypes(), t => t.IsSubclassOf(suite) && !t.IsAbstract);
}
