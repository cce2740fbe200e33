using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Pipeline;

namespace SubnetGen.Tasks;

/// <summary>The pipeline's log as MSBuild's: messages at the same importance, diagnostics in MSBuild's canonical form.</summary>
internal sealed class TaskLog : IPipelineLog
{
    private readonly TaskLoggingHelper _log;

    public TaskLog(TaskLoggingHelper log) => _log = log;

    // "{0}": MSBuild formats a message that has arguments, so text with braces stays as it is.
    public void Message(LogImportance importance, string text) => _log.LogMessage(Importance(importance), "{0}", text);

    /// <summary><c>file(line,col): error SNG1234: message</c>, with the fix appended.</summary>
    public void Report(Diagnostic d)
    {
        string message = string.IsNullOrEmpty(d.Fix) ? d.Message : d.Message + " Fix: " + d.Fix;
        if (d.IsWarning)
            _log.LogWarning(null, d.Code, null, d.File, d.Line, d.Column, 0, 0, message);
        else
            _log.LogError(null, d.Code, null, d.File, d.Line, d.Column, 0, 0, message);
    }

    private static MessageImportance Importance(LogImportance importance) => importance switch
    {
        LogImportance.High => MessageImportance.High,
        LogImportance.Normal => MessageImportance.Normal,
        _ => MessageImportance.Low,
    };
}
