using Storage.MigrationWalk;

return await WalkCommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
