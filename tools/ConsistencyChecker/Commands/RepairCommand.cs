using System.CommandLine;

namespace ConsistencyChecker.Commands;

/// <summary><c>repair</c>: the same as <c>check --repair</c>; a backfill of an empty PostgreSQL is the same command.</summary>
internal static class RepairCommand
{
    public static Command Create(CliConsole console, TimeProvider timeProvider)
    {
        var options = new CompareOptions();
        var command = new Command(
            "repair",
            "Check, then copy every record missing in or different from the target from the source, in batches, in dependency order " +
            "(a backfill of an empty PostgreSQL is the same command). Running it again changes nothing. " +
            "Exit code 0 when no difference is left, 1 when some are (a dry run, extras kept, records refused).");
        options.AddTo(command);
        command.SetAction((parse, cancellationToken)
            => new CompareRunner(console, timeProvider).RunAsync(options.Read(parse, repair: true), cancellationToken));
        return command;
    }
}
