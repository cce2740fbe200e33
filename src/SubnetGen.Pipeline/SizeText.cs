using System.Globalization;

namespace SubnetGen.Pipeline;

/// <summary>Human units for the build log and reports: KB = 1024 bytes (the unit constraints.json speaks), M MACs.</summary>
public static class SizeText
{
    public static string Kilobytes(long bytes)
    {
        double kb = bytes / 1024.0;
        // Budgets are whole KB; show a fraction only where it carries information.
        return (kb == System.Math.Floor(kb) ? kb.ToString("0", CultureInfo.InvariantCulture) : kb.ToString("0.0", CultureInfo.InvariantCulture)) + " KB";
    }

    public static string Macs(long macs) => macs >= 1_000_000
        ? (macs / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M MACs"
        : (macs / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k MACs";

    public static string Count(long count) => count >= 1_000_000
        ? (count / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M"
        : (count / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k";

    public static string Percent(double? fraction) => fraction is null
        ? "n/a"
        : (fraction.Value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Milliseconds(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";
}
