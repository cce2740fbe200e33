using System;
using System.Globalization;
using System.Linq;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// What the test apps on other platforms print per image: <c>image &lt;label&gt; &lt;p0&gt; … &lt;p9&gt;</c>, the
/// label the app picked and its probabilities in round-trip form.
/// </summary>
internal static class ClassifiedImages
{
    public static (int Label, double[] Probabilities)[] Parse(string output) => output.Split('\n')
        .Where(l => l.StartsWith("image ", StringComparison.Ordinal))
        .Select(l => l.Split(' ').Skip(1).ToArray())
        .Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), f.Skip(1).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray()))
        .ToArray();
}
