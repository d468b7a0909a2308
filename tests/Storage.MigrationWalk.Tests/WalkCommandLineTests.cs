using Storage.MigrationWalk;

namespace Storage.MigrationWalk.Tests;

public sealed class WalkCommandLineTests
{
    [Theory]
    [InlineData("--projects", "10")]
    [InlineData("--rate", "0")]
    [InlineData("--phase-seconds", "-1")]
    [InlineData("--fault-seconds", "0")]
    [InlineData("--projects", "many")]
    [InlineData("--no-such-option", "1")]
    public async Task Bad_arguments_exit_with_2_and_a_one_line_message_naming_the_problem(string option, string value)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await WalkCommandLine.RunAsync([option, value], output, error, CancellationToken.None);

        Assert.Equal(2, code);
        var message = error.ToString().Trim();
        Assert.StartsWith("error: ", message, StringComparison.Ordinal);
        Assert.Contains(option.TrimStart('-').Split('-')[0], message, StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void The_data_set_has_the_issues_shape()
    {
        var size = DataSetSize.For(100_000);

        Assert.Equal(new DataSetSize(100_000, 300_000, 10_000, 10_000, 100_000, 50_000), size);
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var stats = LatencyStats.Of([.. Enumerable.Range(1, 100).Select(i => (double)i).Reverse()]);

        Assert.Equal(new LatencyStats(100, 50, 95, 99, 100), stats);
    }
}
