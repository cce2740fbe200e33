using System;
using System.IO;
using SubnetGen.Cli.Evaluation;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// Runs a command body; a SubnetGen diagnostic is printed in its canonical form, a file problem or a
/// generated model that fails to build as <c>error: …</c>, and each turns into exit code 1.
/// </summary>
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file that cannot be read or written (missing, locked, read-only folder).
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        catch (InvalidDataException e)
        {
            // A data file that is not what it should be (e.g. evaluate's IDX test images).
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        catch (GeneratedModelException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
