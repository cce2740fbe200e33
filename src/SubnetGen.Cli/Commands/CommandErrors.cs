using System;
using System.IO;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Cli.Commands;

/// <summary>Runs a command body; a SubnetGen diagnostic is printed in its canonical form and turns into exit code 1.</summary>
internal static class CommandErrors
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
        catch (IOException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
