using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Spectre.Console;
using Spectre.Console.Rendering;
using SubnetGen.Trainer.Export;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Tests;

public sealed class ProgressTests
{
    [Fact]
    public void A_measuring_line_shows_accuracy_rate_and_eta_but_no_loss()
    {
        var output = new StringWriter();
        var progress = new PlainProgress(output);
        progress.StartEpoch("predictor data (500 subnets)", 500);
        progress.Step(500, 500, double.NaN, 0.9031, 375, TimeSpan.FromSeconds(75));
        progress.Step(500, 500, 0.5, 0.9031, 375, TimeSpan.FromSeconds(3725));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("predictor data (500 subnets) step 500/500  acc 90.3%  375 img/s  ETA 01:15", lines[0]);
        Assert.Equal("predictor data (500 subnets) step 500/500  loss 0.500  acc 90.3%  375 img/s  ETA 1:02:05", lines[1]);
    }

    [Fact]
    public void Measuring_rate_counts_only_measured_items_towards_the_eta()
    {
        var progress = new Recording();
        var rate = new MeasuringRate(3000);
        rate.Report(progress, 1, 10, 0.9); // reused: nothing measured yet, so no rate to extrapolate
        Assert.Equal((0.0, TimeSpan.Zero), progress.Last);
        System.Threading.Thread.Sleep(20);
        rate.Measured();
        rate.Report(progress, 2, 10, 0.9);
        Assert.True(progress.Last.ImagesPerSecond > 0);
        // 8 items left at the time the one measured item took (at least the 20 ms slept).
        Assert.True(progress.Last.Eta >= TimeSpan.FromMilliseconds(8 * 20), progress.Last.Eta.ToString());
        Assert.True(double.IsNaN(progress.Loss));
    }

    [Fact]
    public void The_progress_bar_is_drawn_only_by_the_thread_that_trains()
    {
        // Spectre's own refresh thread would allocate while torch runs (see SpectreProgress.Display).
        var output = new StringWriter();
        var console = new ThreadRecordingConsole(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        }));
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = console;
        int trainer = Environment.CurrentManagedThreadId;
        try
        {
            SpectreProgress.Run(progress =>
            {
                progress.StartEpoch("[1/1 teacher] epoch 1/1", 3);
                for (int step = 1; step <= 3; step++)
                {
                    Thread.Sleep(250); // a refresh thread would have drawn twice in each of these
                    progress.Step(step, 3, 0.5, 0.9, 100, TimeSpan.FromSeconds(3 - step));
                }
                progress.Message("Bundle: out/bundle");
                return 0;
            });
        }
        finally
        {
            AnsiConsole.Console = previous;
        }

        Assert.NotEmpty(console.Writers);
        Assert.Equal(new[] { trainer }, console.Writers);
        Assert.Contains("loss 0.500  acc 90.0%", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Bundle: out/bundle", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>An IAnsiConsole that notes which managed threads write to it.</summary>
    private sealed class ThreadRecordingConsole(IAnsiConsole inner) : IAnsiConsole
    {
        private readonly SortedSet<int> _writers = new();
        public int[] Writers { get { lock (_writers) return new List<int>(_writers).ToArray(); } }
        public Profile Profile => inner.Profile;
        public IAnsiConsoleCursor Cursor => inner.Cursor;
        public IAnsiConsoleInput Input => inner.Input;
        public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;
        public RenderPipeline Pipeline => inner.Pipeline;
        public void Clear(bool home) => inner.Clear(home);

        public void Write(IRenderable renderable)
        {
            lock (_writers) _writers.Add(Environment.CurrentManagedThreadId);
            inner.Write(renderable);
        }
    }

    private sealed class Recording : ITrainingProgress
    {
        public (double ImagesPerSecond, TimeSpan Eta) Last { get; private set; }
        public double Loss { get; private set; }
        public void StartEpoch(string label, int steps) { }
        public void Step(int done, int steps, double loss, double accuracy, double imagesPerSecond, TimeSpan eta)
        {
            Last = (imagesPerSecond, eta);
            Loss = loss;
        }
        public void Message(string line) { }
    }
}
