using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Space;

namespace SubnetGen.Integration.Tests;

public sealed class CountsAheadTests
{
    private static readonly SubnetConfig[] Configs = new[] { "k3e3|k3e3", "k5e3|k3e3", "k3e6|k5e6", "k7e6|k7e6", "k5e4|k3e3" }
        .Select(SubnetConfig.Parse).ToArray();

    private static int Count(SubnetConfig config) => config.ToString().Sum(c => c);

    [Fact]
    public void EveryPlannedConfig_IsCountedOnce_OnAsManyThreadsAsAsked_AndAnsweredInAnyOrder()
    {
        var threads = new ConcurrentDictionary<int, bool>();
        var counted = new ConcurrentBag<SubnetConfig>();
        int counters = 0;
        using (var ahead = new CountsAhead(Configs.Concat(Configs.Take(2)).ToList(), threads: 3, () =>
        {
            Interlocked.Increment(ref counters);
            return config =>
            {
                threads[Environment.CurrentManagedThreadId] = true;
                counted.Add(config);
                Thread.Sleep(50);
                return Count(config);
            };
        }))
        {
            foreach (var config in Configs.Reverse()) Assert.Equal(Count(config), ahead.Of(config));
            Assert.Throws<InvalidOperationException>(() => ahead.Of(SubnetConfig.Parse("k7e3|k7e3")));
        }
        Assert.Equal(Configs.OrderBy(c => c.ToString(), StringComparer.Ordinal), counted.OrderBy(c => c.ToString(), StringComparer.Ordinal));
        Assert.InRange(threads.Count, 2, 3);
        Assert.Equal(threads.Count, counters);
    }

    [Fact]
    public void AConfigThatFailsToCount_RethrowsWhereItIsAskedFor_AndTheOthersStillCount()
    {
        using var ahead = new CountsAhead(Configs, threads: 2, () => config =>
            config.Equals(Configs[1]) ? throw new InvalidOperationException("no model") : Count(config));
        Assert.Equal("no model", Assert.Throws<InvalidOperationException>(() => ahead.Of(Configs[1])).Message);
        Assert.Equal(Count(Configs[4]), ahead.Of(Configs[4]));
    }
}
