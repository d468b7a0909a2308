using Spectre.Console;
using Storage.Consistency;

namespace ConsistencyChecker;

/// <summary>
/// Shows a run's progress on standard error when it is a terminal (records read, records/s, time left); shows
/// nothing otherwise, so logs and pipes get only the final one-line message.
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs <paramref name="work"/>, showing <paramref name="progress"/> against <paramref name="total"/> records (when known).</summary>
    public static async Task<T> RunAsync<T>(CliConsole console, string title, ConsistencyProgress progress, long? total, Func<Task<T>> work)
    {
        if (!console.IsInteractive)
        {
            return await work();
        }

        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Error),
            Interactive = InteractionSupport.Yes,
        });
        return await terminal.Progress()
            .AutoClear(true)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RecordsPerSecondColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(title, maxValue: Math.Max(1, total ?? 1));
                task.IsIndeterminate = total is null;
                var running = work();
                while (!running.IsCompleted)
                {
                    await Task.WhenAny(running, Task.Delay(Refresh));
                    Update(task, title, progress);
                }

                task.Value = task.MaxValue;
                return await running;
            });
    }

    private static void Update(ProgressTask task, string title, ConsistencyProgress progress)
    {
        var read = progress.RecordsRead;
        if (read > task.MaxValue)
        {
            task.MaxValue = read;
        }

        task.Value = read;
        var written = progress.RecordsWritten > 0 ? $", {progress.RecordsWritten:N0} written" : "";
        task.Description = progress.Phase switch
        {
            ConsistencyPhase.Comparing => $"{title}: {progress.Kind.Name()} ({read:N0} read{written})",
            ConsistencyPhase.BuildingIndexes => $"{title}: {progress.Kind.Name()}: adding constraints ({read:N0} read{written})",
            ConsistencyPhase.FinishingLoad => $"{title}: committed; building the indexes ({read:N0} read{written})",
            ConsistencyPhase.Waiting => $"{title}: waiting to recheck",
            ConsistencyPhase.Rechecking => $"{title}: rechecking",
            _ => title,
        };
    }
}
