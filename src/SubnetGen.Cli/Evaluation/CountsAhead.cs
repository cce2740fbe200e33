using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SubnetGen.Core.Space;

namespace SubnetGen.Cli.Evaluation;

/// <summary>
/// Counts configs' right answers on several threads, in the order a caller will ask for them, so a measurement that
/// asks for one config at a time (<c>PromiseMeasurement</c>) keeps every core busy. Each thread gets its own counter
/// from <paramref name="counterPerThread"/> (a compiled model is not shared); a count does not depend on the thread that
/// made it, so the result is the same as one thread's.
/// </summary>
internal sealed class CountsAhead : IDisposable
{
    private readonly Dictionary<SubnetConfig, TaskCompletionSource<int>> _counts = new();
    private readonly ConcurrentQueue<(SubnetConfig Config, TaskCompletionSource<int> Count)> _queue = new();
    private readonly Thread[] _threads;
    private volatile bool _stopped;

    public CountsAhead(IReadOnlyList<SubnetConfig> order, int threads, Func<Func<SubnetConfig, int>> counterPerThread)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one");
        foreach (var config in order)
        {
            if (_counts.ContainsKey(config)) continue;
            var count = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _counts.Add(config, count);
            _queue.Enqueue((config, count));
        }
        _threads = new Thread[Math.Min(threads, Math.Max(1, _counts.Count))];
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(() => Work(counterPerThread)) { IsBackground = true, Name = $"promise count {i + 1}" };
            _threads[i].Start();
        }
    }

    /// <summary><paramref name="config"/>'s count, waiting for it if a thread is still on it; its exception if counting it failed.</summary>
    public int Of(SubnetConfig config) => _counts.TryGetValue(config, out var count)
        ? count.Task.GetAwaiter().GetResult()
        : throw new InvalidOperationException($"{config} was not planned; CountsAhead counts only the configs it was given.");

    private void Work(Func<Func<SubnetConfig, int>> counterPerThread)
    {
        Func<SubnetConfig, int>? counter = null;
        while (!_stopped && _queue.TryDequeue(out var next))
        {
            try
            {
                counter ??= counterPerThread();
                next.Count.SetResult(counter(next.Config));
            }
            catch (Exception e)
            {
                next.Count.SetException(e);
            }
        }
    }

    /// <summary>Stops the threads after the configs they are on; nothing waits for the rest.</summary>
    public void Dispose()
    {
        _stopped = true;
        foreach (var thread in _threads) thread.Join();
    }
}
