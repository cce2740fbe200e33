using System;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Trainer.Commands;

/// <summary>Turns failures into one readable line and exit code 1.</summary>
internal static class Cli
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (SubnetGenException e)
        {
            Console.Error.WriteLine(e.Diagnostic.ToString());
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.IO.IOException or OperationCanceledException or FormatException)
        {
            Console.Error.WriteLine("subnetgen-train: " + e.Message);
            return 1;
        }
    }
}
