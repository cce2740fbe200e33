using System;
using System.Globalization;
using System.IO;
using Spectre.Console;

namespace SubnetGen.Trainer.Training;

/// <summary>What a run reports while it trains.</summary>
internal interface ITrainingProgress
{
    void StartEpoch(string label, int steps);
    void Step(int done, int steps, double loss, double accuracy, double imagesPerSecond, TimeSpan eta);
    void Message(string line);
}

internal static class ProgressText
{
    /// <summary>One progress line's numbers; a NaN loss (measuring, not training) is left out.</summary>
    public static string Stats(double loss, double accuracy, double imagesPerSecond, TimeSpan eta) => string.Format(CultureInfo.InvariantCulture,
        "{0}acc {1:F1}%  {2:F0} img/s  ETA {3}", double.IsNaN(loss) ? "" : string.Format(CultureInfo.InvariantCulture, "loss {0:F3}  ", loss),
        accuracy * 100, imagesPerSecond, Eta(eta));

    public static string Eta(TimeSpan eta) => eta.TotalHours >= 1
        ? ((int)eta.TotalHours).ToString(CultureInfo.InvariantCulture) + eta.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture)
        : eta.ToString(@"mm\:ss", CultureInfo.InvariantCulture);
}

/// <summary>Plain lines (CI, logs, no TTY): one every <c>every</c> steps and at the end of each epoch.</summary>
internal sealed class PlainProgress : ITrainingProgress
{
    private readonly TextWriter _out;
    private string _label = "";

    public PlainProgress(TextWriter output) => _out = output;

    public void StartEpoch(string label, int steps) => _label = label;

    public void Step(int done, int steps, double loss, double accuracy, double imagesPerSecond, TimeSpan eta)
    {
        int every = Math.Max(1, steps / 10);
        if (done % every == 0 || done == steps)
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_label} step {done}/{steps}  {ProgressText.Stats(loss, accuracy, imagesPerSecond, eta)}"));
    }

    public void Message(string line) => _out.WriteLine(line);
}

/// <summary>
/// Spectre.Console progress bar: one task per epoch with loss, accuracy, throughput and the whole run's ETA.
/// Redrawn from the training thread, never from Spectre's refresh thread (<see cref="Display"/>).
/// </summary>
internal sealed class SpectreProgress : ITrainingProgress
{
    private readonly ProgressContext _context;
    private readonly Redraw _redraw;
    private ProgressTask? _task;
    private string _label = "";

    public SpectreProgress(ProgressContext context)
    {
        _context = context;
        _redraw = new Redraw(context);
    }

    public static bool Interactive =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive &&
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// A progress display without Spectre's refresh thread: callers redraw it (<see cref="Redraw"/>). That thread
    /// allocates while torch runs on the training thread, so it can start a garbage collection inside a native call,
    /// and TorchSharp 0.107.0 does not keep the implicit Scalars of such a call (Tensor.mul_(double), as its
    /// optimizers use) alive across it: the finalizer may free one before libtorch reads it ("Unknown scalar type").
    /// Without that thread the training thread is the only one of ours that allocates while torch runs.
    /// </summary>
    public static Progress Display(params ProgressColumn[] columns) =>
        AnsiConsole.Progress().AutoRefresh(false).AutoClear(false).Columns(columns);

    public static T Run<T>(Func<ITrainingProgress, T> body) =>
        Display(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx => body(new SpectreProgress(ctx)));

    public void StartEpoch(string label, int steps)
    {
        _task?.StopTask();
        _label = label;
        _task = _context.AddTask(Markup.Escape(label), maxValue: steps);
        _redraw.Now();
    }

    public void Step(int done, int steps, double loss, double accuracy, double imagesPerSecond, TimeSpan eta)
    {
        if (_task is null) return;
        _task.Value = done;
        _task.Description = Markup.Escape(_label + "  " + ProgressText.Stats(loss, accuracy, imagesPerSecond, eta));
        if (done == steps) _redraw.Now(); else _redraw.IfDue();
    }

    public void Message(string line)
    {
        AnsiConsole.MarkupLine(Markup.Escape(line));
        _redraw.Now();
    }
}

/// <summary>Redraws a progress display on the caller's thread, at most ten times a second unless asked to now.</summary>
internal sealed class Redraw
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly ProgressContext _context;
    private readonly System.Diagnostics.Stopwatch _since = System.Diagnostics.Stopwatch.StartNew();

    public Redraw(ProgressContext context) => _context = context;

    public void IfDue()
    {
        if (_since.Elapsed >= Interval) Now();
    }

    public void Now()
    {
        _context.Refresh();
        _since.Restart();
    }
}
