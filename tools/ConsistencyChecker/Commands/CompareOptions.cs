using System.CommandLine;
using System.Globalization;
using ConsistencyChecker.Stores;

namespace ConsistencyChecker.Commands;

/// <summary>The options of <c>check</c> and <c>repair</c>, and their parsed values.</summary>
internal sealed class CompareOptions
{
    public Option<string> Source { get; } = StoreOption(
        "--source", "The side holding the data as it should be: a snapshot file, or a PostgreSQL connection string (Host=...;Database=...).");

    public Option<string> Target { get; } = StoreOption(
        "--target", "The side checked against it (and repaired): a snapshot file, or a PostgreSQL connection string.");

    public Option<string> SourceSchema { get; } = SchemaOption("--source-schema", "--source");

    public Option<string> TargetSchema { get; } = SchemaOption("--target-schema", "--target");

    public Option<string> Format { get; } = FormatOption();

    public Option<int?> Recheck { get; } = new("--recheck")
    {
        Description = "Read the differing keys again on both sides after SECONDS (0..3600), and report only those still different.",
        HelpName = "SECONDS",
    };

    public Option<bool> DeleteExtras { get; } = new("--delete-extras")
    {
        Description = "With a repair: also delete projects and edges that only the target holds (other kinds have no delete; they are reported).",
    };

    public Option<bool> DryRun { get; } = new("--dry-run")
    {
        Description = "With a repair: write nothing, list what would be written and deleted.",
    };

    public Option<int> BatchSize { get; } = new("--batch-size")
    {
        Description = "With a repair: records per import batch, 1..100000.",
        DefaultValueFactory = _ => 5_000,
    };

    public Option<bool> NoBulkLoad { get; } = new("--no-bulk-load")
    {
        Description = "With a repair into PostgreSQL: write every kind in batches, even into an empty table (by default an empty table is "
            + "loaded in one piece, locked until it commits, its constraints added once at the end and its other indexes built after the commit).",
    };

    public Option<int> Samples { get; } = new("--samples")
    {
        Description = "Keys listed per kind and category, 0..100000.",
        DefaultValueFactory = _ => 100,
    };

    public static Option<string> FormatOption()
    {
        var option = new Option<string>("--format")
        {
            Description = "table (for people) or json (the documented schema, docs/checker.md).",
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }

    /// <summary>The format a <see cref="FormatOption"/> holds.</summary>
    public static OutputFormat FormatOf(ParseResult parse, Option<string> option)
        => parse.GetValue(option) == "json" ? OutputFormat.Json : OutputFormat.Table;

    /// <summary>
    /// A required store option (see <see cref="StoreArgument"/>): refused when empty, or when a PostgreSQL URL (a
    /// message must not quote its user info, and Npgsql does not read it).
    /// </summary>
    public static Option<string> StoreOption(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, Required = true };
        NotEmpty(option, "a snapshot file or a PostgreSQL connection string");
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && StoreArgument.IsUrl(token.Value))
            {
                result.AddError($"{name} is a URL, which is not supported: write the connection string as \"Host=...;Port=5432;Database=...;Username=...;Password=...\"");
            }
        });
        return option;
    }

    /// <summary>Refuses an empty (or blank) value of <paramref name="option"/>, saying what to give instead.</summary>
    public static void NotEmpty(Option<string> option, string what)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && string.IsNullOrWhiteSpace(token.Value))
            {
                result.AddError($"{option.Name} must not be empty: give {what}");
            }
        });
    }

    public static Option<string> SchemaOption(string name, string of) => new(name)
    {
        Description = $"The PostgreSQL schema of {of}.",
        DefaultValueFactory = _ => "storage",
    };

    /// <summary>Adds every option to <paramref name="command"/>; a repair command has no <c>--repair</c> flag of its own.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Source);
        command.Options.Add(Target);
        command.Options.Add(SourceSchema);
        command.Options.Add(TargetSchema);
        command.Options.Add(Format);
        command.Options.Add(Recheck);
        command.Options.Add(DeleteExtras);
        command.Options.Add(DryRun);
        command.Options.Add(BatchSize);
        command.Options.Add(NoBulkLoad);
        command.Options.Add(Samples);
        Range(Recheck, 0, 3600, "seconds", n => (int?)n);
        Range(BatchSize, 1, 100_000, "records", n => n);
        Range(Samples, 0, 100_000, "keys", n => n);
    }

    /// <summary>The parsed values.</summary>
    public CompareRequest Read(ParseResult parse, bool repair) => new(
        new StoreArgument("--source", parse.GetRequiredValue(Source), parse.GetValue(SourceSchema) ?? "storage"),
        new StoreArgument("--target", parse.GetRequiredValue(Target), parse.GetValue(TargetSchema) ?? "storage"),
        FormatOf(parse, Format),
        parse.GetValue(Recheck),
        repair,
        parse.GetValue(DeleteExtras),
        parse.GetValue(DryRun),
        parse.GetValue(BatchSize),
        parse.GetValue(Samples),
        !parse.GetValue(NoBulkLoad))
    {
        Given = new HashSet<string>(
            new Option[] { SourceSchema, TargetSchema, DeleteExtras, DryRun, BatchSize, NoBulkLoad }
                .Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name),
            StringComparer.Ordinal),
    };

    /// <summary>
    /// Reads a whole number of <paramref name="unit"/> from <paramref name="min"/> to <paramref name="max"/>, and refuses
    /// anything else in those words (System.CommandLine's own message names the .NET type it expected).
    /// </summary>
    private static void Range<T>(Option<T> option, int min, int max, string unit, Func<int, T> value)
        => option.CustomParser = result =>
        {
            var text = result.Tokens is [var token] ? token.Value : "";
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                result.AddError($"{option.Name} takes a whole number of {unit} from {min} to {max}, not '{text}'");
                return default;
            }

            if (number < min || number > max)
            {
                result.AddError($"{option.Name} must be {min}..{max} {unit}, not {number}");
                return default;
            }

            return value(number);
        };
}
