namespace Storage.SampleHost;

/// <summary>The host's log messages.</summary>
internal static partial class SampleHostLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Following the settings file {FlagsFile}; rewrite it to change Storage:Migration while the host runs")]
    public static partial void FollowingFlagsFile(ILogger logger, string flagsFile);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Method} {Path} failed with an unexpected error")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Method} {Path} refused: a repair of {Key} is pending and its good side did not answer")]
    public static partial void RepairPending(ILogger logger, string method, string path, string key);
}
