namespace Storage.InMemory;

/// <summary>How the in-memory stores report a synchronous operation: as a finished task, the way an I/O-bound backend would.</summary>
internal static class Completed
{
    /// <summary>Runs <paramref name="operation"/> and returns its result, or its error as a faulted (or canceled) task; never throws.</summary>
    public static Task<T> Run<T>(Func<T> operation)
    {
        try
        {
            return Task.FromResult(operation());
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(ex.CancellationToken);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }
}
