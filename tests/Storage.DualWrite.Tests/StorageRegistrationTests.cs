using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using Storage.InMemory;

namespace Storage.DualWrite.Tests;

public sealed class StorageRegistrationTests : IDisposable
{
    private readonly string _journal = DualWriteHarness.TempJournalPath();

    public void Dispose() => File.Delete(_journal);

    [Fact]
    public void Without_a_backend_setting_the_in_memory_backend_is_registered()
    {
        using var provider = new ServiceCollection().AddStorage(Configuration()).BuildServiceProvider();

        Assert.IsType<InMemoryGraphStore>(provider.GetRequiredService<IGraphStore>());
        Assert.IsType<InMemoryAgentTaskStore>(provider.GetRequiredService<IAgentTaskStore>());
    }

    [Fact]
    public void An_unknown_backend_fails_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddStorage(Configuration(("Storage:Backend", "Mongo"))));

        Assert.Contains("Storage:Backend", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dual_write_backend_registers_the_decorators_and_shows_the_flags_as_features()
    {
        var configuration = DualWriteConfiguration(("DUAL_WRITE_MODE", "true"));
        await using var provider = new ServiceCollection().AddLogging().AddStorage(configuration).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<DualWriteGraphStore>(provider.GetRequiredService<IGraphStore>());
        Assert.IsType<DualWriteAgentTaskStore>(provider.GetRequiredService<IAgentTaskStore>());
        Assert.Contains(provider.GetServices<IHostedService>(), s => s is DualWriteReconciler);
        var features = provider.GetRequiredService<IFeatureManager>();
        Assert.True(await features.IsEnabledAsync(MigrationFeatures.DualWriteMode));
        Assert.False(await features.IsEnabledAsync(MigrationFeatures.PostgresPrimary));
        Assert.False(await features.IsEnabledAsync(MigrationFeatures.ReadFromPostgres));

        configuration["Storage:Migration:ReadFromPostgresPercent"] = "100";
        configuration.Reload();

        Assert.Equal(MigrationPhase.ReadShift, provider.GetRequiredService<MigrationFlagsMonitor>().Current.Phase);
        Assert.True(await features.IsEnabledAsync(MigrationFeatures.ReadFromPostgres));
    }

    [Theory]
    [InlineData("READ_FROM_POSTGRES_PERCENT", "150")]
    [InlineData("Storage:Migration:ReadFromPostgresPercent", "ten")]
    [InlineData("Storage:DualWrite:SecondaryRetries", "9")]
    [InlineData("Storage:DualWrite:JournalPath", " ")]
    public void Invalid_settings_fail_the_start_naming_the_setting(string setting, string value)
    {
        using var provider = new ServiceCollection().AddStorage(DualWriteConfiguration(("DUAL_WRITE_MODE", "true"), (setting, value))).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(setting.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    private IConfigurationRoot DualWriteConfiguration(params (string Key, string? Value)[] values)
        => Configuration(
        [
            ("Storage:Backend", "DualWrite"),
            ("Storage:Postgres:ConnectionString", "Host=127.0.0.1;Port=1;Username=nobody"),
            ("Storage:DualWrite:JournalPath", _journal),
            .. values,
        ]);

    private static IConfigurationRoot Configuration(params (string Key, string? Value)[] values)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }
}
