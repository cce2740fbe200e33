using System;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Pipeline;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// The pipeline's log on the console, as a build at normal verbosity shows it: messages of high and normal importance on
/// stdout, diagnostics in their canonical form on stderr (where <see cref="CommandErrors"/> prints errors too).
/// </summary>
internal sealed class ConsoleLog : IPipelineLog
{
    public void Message(LogImportance importance, string text)
    {
        if (importance != LogImportance.Low) Console.WriteLine(text);
    }

    public void Report(Diagnostic diagnostic) => Console.Error.WriteLine(diagnostic.ToString());
}
