using System;
using System.Collections.Generic;
using SubnetGen.Trainer.Training;

namespace SubnetGen.Trainer.Tests;

/// <summary>Keeps what a run reports, for tests to look at.</summary>
internal sealed class RecordingProgress : ITrainingProgress
{
    public List<(int Done, int Total)> Steps { get; } = new();
    public List<string> Messages { get; } = new();
    public void StartEpoch(string label, int steps) { }
    public void Step(int done, int steps, double loss, double accuracy, double imagesPerSecond, TimeSpan eta) => Steps.Add((done, steps));
    public void Message(string line) => Messages.Add(line);
}
