using System.CommandLine;

namespace ConsistencyChecker.Commands;

/// <summary><c>check</c>: compares the target with the source; with <c>--repair</c>, repairs it too.</summary>
internal static class CheckCommand
{
    public static Command Create(CliConsole console, TimeProvider timeProvider)
    {
        var options = new CompareOptions();
        var repair = new Option<bool>("--repair") { Description = "Also copy missing and different records from the source to the target (as the repair command)." };
        var command = new Command(
            "check",
            "Compare the target with the source, kind by kind, and report what is missing, extra or different. Exit code 0 when they hold the same data, 1 when they differ.");
        options.AddTo(command);
        command.Options.Add(repair);
        command.SetAction((parse, cancellationToken)
            => new CompareRunner(console, timeProvider).RunAsync(options.Read(parse, parse.GetValue(repair)), cancellationToken));
        return command;
    }
}
