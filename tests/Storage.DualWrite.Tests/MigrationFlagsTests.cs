using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Storage.DualWrite.Tests;

public sealed class MigrationFlagsTests
{
    [Fact]
    public void Nothing_set_is_phase_1()
    {
        var flags = MigrationFlagsReader.Read(Configuration());

        Assert.Equal(MigrationFlags.Off, flags);
        Assert.Equal(MigrationPhase.SourceOnly, flags.Phase);
    }

    [Theory]
    [InlineData("true", "0", null, null, MigrationPhase.DualWrite, 0)]
    [InlineData("TRUE", "10", null, null, MigrationPhase.ReadShift, 10)]
    [InlineData("1", "100", null, null, MigrationPhase.ReadShift, 100)]
    [InlineData("true", "100", "true", null, MigrationPhase.TargetPrimary, 100)]
    [InlineData("true", "100", "true", "true", MigrationPhase.TargetOnly, 100)]
    [InlineData(null, null, null, "true", MigrationPhase.TargetOnly, 0)]
    [InlineData("false", " 0 ", "false", "false", MigrationPhase.SourceOnly, 0)]
    public void Environment_variables_are_honoured_as_named(string? dualWrite, string? percent, string? primary, string? only, MigrationPhase phase, int expectedPercent)
    {
        var flags = MigrationFlagsReader.Read(Configuration(
            ("DUAL_WRITE_MODE", dualWrite), ("READ_FROM_POSTGRES_PERCENT", percent), ("POSTGRES_PRIMARY", primary), ("POSTGRES_ONLY", only)));

        Assert.Equal(phase, flags.Phase);
        Assert.Equal(expectedPercent, flags.ReadFromPostgresPercent);
    }

    [Fact]
    public void The_reloadable_section_wins_over_the_environment_variable()
    {
        var flags = MigrationFlagsReader.Read(Configuration(
            ("DUAL_WRITE_MODE", "true"),
            ("READ_FROM_POSTGRES_PERCENT", "50"),
            ("Storage:Migration:ReadFromPostgresPercent", "20")));

        Assert.Equal(new MigrationFlags(true, 20, false, false), flags);
    }

    [Theory]
    [InlineData("READ_FROM_POSTGRES_PERCENT", "150")]
    [InlineData("READ_FROM_POSTGRES_PERCENT", "-1")]
    [InlineData("READ_FROM_POSTGRES_PERCENT", "ten")]
    [InlineData("READ_FROM_POSTGRES_PERCENT", "50.5")]
    [InlineData("READ_FROM_POSTGRES_PERCENT", "1e2")]
    [InlineData("Storage:Migration:ReadFromPostgresPercent", "101")]
    [InlineData("DUAL_WRITE_MODE", "yes")]
    [InlineData("Storage:Migration:PostgresPrimary", "on")]
    [InlineData("POSTGRES_ONLY", "2")]
    public void An_invalid_value_fails_with_a_message_naming_the_setting(string setting, string value)
    {
        var error = Assert.Throws<MigrationFlagsException>(() => MigrationFlagsReader.Read(Configuration(("DUAL_WRITE_MODE", "true"), (setting, value))));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_share_without_dual_write_fails()
    {
        var error = Assert.Throws<MigrationFlagsException>(() => MigrationFlagsReader.Read(Configuration(("READ_FROM_POSTGRES_PERCENT", "10"))));

        Assert.Contains(MigrationSettings.ReadFromPostgresPercent, error.Message, StringComparison.Ordinal);
        Assert.Contains(MigrationSettings.DualWriteMode, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_primary_without_dual_write_fails()
    {
        var error = Assert.Throws<MigrationFlagsException>(() => MigrationFlagsReader.Read(Configuration(("POSTGRES_PRIMARY", "true"))));

        Assert.Contains(MigrationSettings.PostgresPrimary, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_fails_on_an_invalid_value()
        => Assert.Throws<MigrationFlagsException>(() => MigrationFlagsMonitor.FromConfiguration(Configuration(("READ_FROM_POSTGRES_PERCENT", "150"))));

    [Fact]
    public void A_reload_changes_the_flags_in_force()
    {
        var configuration = Configuration(("DUAL_WRITE_MODE", "true"));
        using var monitor = MigrationFlagsMonitor.FromConfiguration(configuration);
        var seen = new List<MigrationFlags>();
        monitor.Changed += seen.Add;

        configuration["Storage:Migration:ReadFromPostgresPercent"] = "30";
        configuration.Reload();

        Assert.Equal(new MigrationFlags(true, 30, false, false), monitor.Current);
        Assert.Equal([monitor.Current], seen);
    }

    [Theory]
    [InlineData("150")]
    [InlineData("-1")]
    [InlineData("ten")]
    public void An_invalid_value_at_reload_keeps_the_last_good_flags_and_logs_an_error(string value)
    {
        var configuration = Configuration(("DUAL_WRITE_MODE", "true"), ("Storage:Migration:ReadFromPostgresPercent", "20"));
        var logger = new ListLogger<MigrationFlagsMonitor>();
        using var monitor = MigrationFlagsMonitor.FromConfiguration(configuration, logger);

        configuration["Storage:Migration:ReadFromPostgresPercent"] = value;
        configuration.Reload();

        Assert.Equal(new MigrationFlags(true, 20, false, false), monitor.Current);
        var error = Assert.Single(logger.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("Storage:Migration:ReadFromPostgresPercent", error.Message, StringComparison.Ordinal);

        configuration["Storage:Migration:ReadFromPostgresPercent"] = "40";
        configuration.Reload();
        Assert.Equal(40, monitor.Current.ReadFromPostgresPercent);
    }

    [Fact]
    public void Set_refuses_invalid_flags()
    {
        using var monitor = new MigrationFlagsMonitor(MigrationFlags.Off);

        Assert.Throws<ArgumentException>(() => monitor.Set(new MigrationFlags(false, 10, false, false)));
        Assert.Throws<ArgumentException>(() => monitor.Set(new MigrationFlags(true, 101, false, false)));
        Assert.Equal(MigrationFlags.Off, monitor.Current);
    }

    [Theory]
    [InlineData(MigrationPhase.SourceOnly, BackendRole.Source)]
    [InlineData(MigrationPhase.DualWrite, BackendRole.Source)]
    [InlineData(MigrationPhase.TargetPrimary, BackendRole.Target)]
    [InlineData(MigrationPhase.TargetOnly, BackendRole.Target)]
    public void The_authoritative_backend_follows_the_phase(MigrationPhase phase, BackendRole authoritative)
    {
        var flags = MigrationFlags.For(phase);

        Assert.Equal(phase, flags.Phase);
        Assert.Equal(authoritative, flags.Authoritative);
        Assert.Null(flags.FindProblem());
    }

    /// <summary>Configuration with the given values; a later value for the same key wins.</summary>
    private static IConfigurationRoot Configuration(params (string Key, string? Value)[] values)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values.Where(v => v.Value is not null))
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
