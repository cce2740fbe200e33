using System.Threading.Tasks;
using NuGet.Common;

namespace SubnetGen.Pipeline;

/// <summary>NuGet's chatter goes to the pipeline's log at low importance; its warnings and errors stay messages too, because the resolver reports failures itself with SNG codes.</summary>
internal sealed class NuGetLogAdapter : LoggerBase
{
    private readonly IPipelineLog _log;

    public NuGetLogAdapter(IPipelineLog log) : base(NuGet.Common.LogLevel.Debug) => _log = log;

    public override void Log(ILogMessage message) =>
        _log.Message(message.Level >= NuGet.Common.LogLevel.Warning ? LogImportance.Normal : LogImportance.Low, "NuGet: " + message.Message);

    public override Task LogAsync(ILogMessage message)
    {
        Log(message);
        return Task.CompletedTask;
    }
}
