using System.Threading.Tasks;
using TaskLoggingHelper = Microsoft.Build.Utilities.TaskLoggingHelper;
using NuGet.Common;

namespace SubnetGen.Tasks;

/// <summary>NuGet's chatter goes to the build log at low importance; its warnings and errors stay messages too, because the resolver reports failures itself with SNG codes.</summary>
internal sealed class NuGetLogAdapter : LoggerBase
{
    private readonly TaskLoggingHelper _log;

    public NuGetLogAdapter(TaskLoggingHelper log) : base(NuGet.Common.LogLevel.Debug) => _log = log;

    public override void Log(ILogMessage message) =>
        _log.LogMessage(message.Level >= NuGet.Common.LogLevel.Warning
            ? Microsoft.Build.Framework.MessageImportance.Normal
            : Microsoft.Build.Framework.MessageImportance.Low, "NuGet: {0}", message.Message);

    public override Task LogAsync(ILogMessage message)
    {
        Log(message);
        return Task.CompletedTask;
    }
}
