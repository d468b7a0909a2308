using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Storage.DualWrite;

/// <summary>Reads <see cref="MigrationFlags"/> from configuration, strictly: a value that is not understood is an error, never 0 or 100.</summary>
public static class MigrationFlagsReader
{
    /// <summary>Reads and checks the flags (see <see cref="MigrationSettings"/> for where each comes from).</summary>
    /// <exception cref="MigrationFlagsException">A value is not valid, or the values do not fit together; the message names the setting.</exception>
    public static MigrationFlags Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(MigrationSettings.SectionName);
        var flags = new MigrationFlags(
            ReadBool(configuration, section, MigrationSettings.DualWriteMode, MigrationSettings.DualWriteModeVariable),
            ReadPercent(configuration, section),
            ReadBool(configuration, section, MigrationSettings.PostgresPrimary, MigrationSettings.PostgresPrimaryVariable),
            ReadBool(configuration, section, MigrationSettings.PostgresOnly, MigrationSettings.PostgresOnlyVariable));
        return flags.FindProblem() is { } problem ? throw new MigrationFlagsException(problem) : flags;
    }

    private static (string Name, string? Value) Raw(IConfiguration root, IConfigurationSection section, string key, string variable)
    {
        var value = section[key];
        if (!string.IsNullOrWhiteSpace(value))
        {
            return ($"{MigrationSettings.SectionName}:{key}", value.Trim());
        }

        value = root[variable];
        return (variable, string.IsNullOrWhiteSpace(value) ? null : value.Trim());
    }

    private static bool ReadBool(IConfiguration root, IConfigurationSection section, string key, string variable)
    {
        var (name, value) = Raw(root, section, key, variable);
        return value switch
        {
            null => false,
            _ when value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" => true,
            _ when value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0" => false,
            _ => throw new MigrationFlagsException($"{name} must be true or false (got '{value}')."),
        };
    }

    private static int ReadPercent(IConfiguration root, IConfigurationSection section)
    {
        var (name, value) = Raw(root, section, MigrationSettings.ReadFromPostgresPercent, MigrationSettings.ReadFromPostgresPercentVariable);
        if (value is null)
        {
            return 0;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var percent) && percent <= 100
            ? percent
            : throw new MigrationFlagsException($"{name} must be a whole number from 0 to 100 (got '{value}').");
    }
}
