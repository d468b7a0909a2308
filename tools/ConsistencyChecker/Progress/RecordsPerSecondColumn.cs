using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ConsistencyChecker;

/// <summary>A progress column showing the task's speed as records per second.</summary>
internal sealed class RecordsPerSecondColumn : ProgressColumn
{
    /// <inheritdoc/>
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        => new Text(task.Speed is { } speed ? string.Create(CultureInfo.InvariantCulture, $"{speed:N0} records/s") : "", new Style(Color.Grey));
}
