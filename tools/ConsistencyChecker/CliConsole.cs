namespace ConsistencyChecker;

/// <summary>Where the tool writes: data to <see cref="Out"/>, messages and progress to <see cref="Error"/>.</summary>
/// <param name="Out">Standard output: the report, nothing else.</param>
/// <param name="Error">Standard error: one-line messages, and the progress display when interactive.</param>
/// <param name="IsInteractive">True when standard error is a terminal a person watches: progress bars are shown then only.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    /// <summary>
    /// The process's console; interactive when standard error is a terminal and not under CI. A failure to write standard
    /// output says so, and one to write standard error is dropped (<see cref="StandardOutputWriter"/>).
    /// </summary>
    public static CliConsole FromSystemConsole()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        var dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        return new CliConsole(
            new StandardOutputWriter(Console.Out), StandardOutputWriter.ForStandardError(Console.Error), !Console.IsErrorRedirected && !ci && !dumb);
    }

    /// <summary>Writes one message line to standard error, on one line whatever it holds.</summary>
    public void Message(string text) => Error.WriteLine(OneLine(text));

    /// <summary>Folds line breaks into spaces.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
