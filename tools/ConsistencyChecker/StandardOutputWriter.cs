using System.Text;

namespace ConsistencyChecker;

/// <summary>
/// Standard output, whose write failures (a full disk) are told apart from a file's: they become a
/// <see cref="CheckerFailure"/> that names standard output (exit code 2).
/// </summary>
/// <param name="inner">The writer written to.</param>
internal sealed class StandardOutputWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        try
        {
            inner.Write(value);
        }
        catch (IOException ex)
        {
            throw Failure(ex);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        try
        {
            inner.Write(buffer, index, count);
        }
        catch (IOException ex)
        {
            throw Failure(ex);
        }
    }

    public override void Write(string? value)
    {
        try
        {
            inner.Write(value);
        }
        catch (IOException ex)
        {
            throw Failure(ex);
        }
    }

    public override void WriteLine(string? value)
    {
        try
        {
            inner.WriteLine(value);
        }
        catch (IOException ex)
        {
            throw Failure(ex);
        }
    }

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (IOException ex)
        {
            throw Failure(ex);
        }
    }

    private static CheckerFailure Failure(IOException ex) => new(
        ExitCode.BadInput,
        $"cannot write to standard output ({ex.Message}): check where it is redirected and that its disk has room",
        ex);
}
