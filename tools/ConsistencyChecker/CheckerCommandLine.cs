using System.CommandLine;
using System.CommandLine.Help;
using ConsistencyChecker.Commands;

namespace ConsistencyChecker;

/// <summary>The command line: parses the arguments, runs the command, and returns the exit code (see <see cref="ExitCode"/>).</summary>
internal static class CheckerCommandLine
{
    private const string Description = """
        Checks that two storage backends hold the same data, repairs and backfills PostgreSQL, exports PostgreSQL to a
        snapshot file, and applies the schema migrations. A store is a snapshot file, or a PostgreSQL connection string:
        an argument naming an existing file is a file, else one holding '=' is a connection string. Data goes to
        standard output; messages and progress to standard error.

        Exit codes:
          0  consistent (check), no difference left (repair), done (export, migrate)
          1  differences found (check), or left after a repair (dry run, extras kept, records refused, derived
             values their edges and contributions do not account for, differences past the recheck limit)
          2  bad arguments or unreadable input: a missing, truncated or corrupt snapshot, another format version,
             a bad connection string, a refused login, a schema without the storage tables or migrated by a newer
             release, an output file or standard output that cannot be written
          3  a store is unreachable, was lost during the run, or failed in a way that passes when tried again
          4  the run failed for another reason (a fault of the tool, an error of the server): report it
          130  cancelled (Ctrl-C)
        """;

    /// <summary>The root command with its four subcommands.</summary>
    public static RootCommand Build(CliConsole console, TimeProvider timeProvider) => new(Description)
    {
        CheckCommand.Create(console, timeProvider),
        RepairCommand.Create(console, timeProvider),
        ExportCommand.Create(console, timeProvider),
        MigrateCommand.Create(console),
    };

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command; parse errors are one line on standard error (their messages
    /// joined with "; ", every password blanked out) and exit code 2. An argument starting with '@' is an argument (a
    /// snapshot file named <c>@name</c>), not a response file to read arguments from.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken, TimeProvider? timeProvider = null)
    {
        var parse = Build(console, timeProvider ?? TimeProvider.System).Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            // The parser's messages quote the arguments, and an argument may be a connection string (a mistyped
            // option's value, a value without its option).
            // (A list of allowed values comes with tabs and line breaks: one space each, once the arguments are blanked
            // out, so that a password holding such characters is still found.)
            var messages = parse.Errors.Select(e => Stores.PostgresStore.Redact(e.Message, args).TrimEnd('.')).Distinct(StringComparer.Ordinal);
            var line = string.Join(' ', string.Join("; ", messages).Split((char[])['\t', '\r', '\n', ' '], StringSplitOptions.RemoveEmptyEntries));
            console.Message($"error: {line} (see --help)");
            return (int)ExitCode.BadInput;
        }

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = console.Out,
                    Error = console.Error,
                    ProcessTerminationTimeout = TimeSpan.FromSeconds(10),
                    EnableDefaultExceptionHandler = false,
                },
                cancellationToken);
        }
        catch (Exception ex)
        {
            // The commands report their own failures; this is for what escapes them (the help on an unwritable
            // standard output), which would otherwise be a stack trace.
            var (code, message) = Failures.Describe(ex, [], Failures.Cancelled, cancellationToken);
            console.Message("error: " + Stores.PostgresStore.Redact(message, args));
            return (int)code;
        }
    }
}
