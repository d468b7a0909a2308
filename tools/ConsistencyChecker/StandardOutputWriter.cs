using System.Text;

namespace ConsistencyChecker;

/// <summary>
/// Standard output or standard error, whose write failures (a full disk, a closed descriptor) are handled instead of
/// ending the process with a stack trace: standard output's become a <see cref="CheckerFailure"/> that names it (exit
/// code 2); standard error's are dropped (<see cref="ForStandardError"/>), as nothing is left to tell them on, and the
/// exit code still says how the run ended.
/// </summary>
internal sealed class StandardOutputWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly bool _dropFailures;

    /// <summary>Standard output: a failed write throws a <see cref="CheckerFailure"/> naming it.</summary>
    /// <param name="inner">The writer written to.</param>
    public StandardOutputWriter(TextWriter inner)
        : this(inner, dropFailures: false)
    {
    }

    private StandardOutputWriter(TextWriter inner, bool dropFailures)
        : base(inner.FormatProvider)
    {
        _inner = inner;
        _dropFailures = dropFailures;
    }

    public override Encoding Encoding => _inner.Encoding;

    /// <summary>Standard error: a failed write is dropped.</summary>
    public static StandardOutputWriter ForStandardError(TextWriter inner) => new(inner, dropFailures: true);

    public override void Write(char value) => Guard(() => _inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));

    public override void Write(string? value) => Guard(() => _inner.Write(value));

    public override void WriteLine(string? value) => Guard(() => _inner.WriteLine(value));

    public override void Flush() => Guard(_inner.Flush);

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // A closed descriptor reads as access denied (EBADF), a full disk as an I/O error.
            if (!_dropFailures)
            {
                throw new CheckerFailure(
                    ExitCode.BadInput,
                    $"cannot write to standard output ({ex.Message}): check where it is redirected (it may be closed) and that its disk has room",
                    ex);
            }
        }
    }
}
