using ConsistencyChecker;

return await CheckerCommandLine.RunAsync(args, CliConsole.FromSystemConsole(), CancellationToken.None);
