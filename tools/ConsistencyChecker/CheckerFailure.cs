namespace ConsistencyChecker;

/// <summary>A failure the tool reports as one line on standard error, with its exit code.</summary>
internal sealed class CheckerFailure : Exception
{
    /// <summary>Creates the failure; <paramref name="message"/> says what is wrong and what to do.</summary>
    public CheckerFailure(ExitCode exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
        => ExitCode = exitCode;

    /// <summary>The exit code to end with.</summary>
    public ExitCode ExitCode { get; }
}
