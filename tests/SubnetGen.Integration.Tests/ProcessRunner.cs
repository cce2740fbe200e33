using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace SubnetGen.Integration.Tests;

/// <summary>What a child process did: exit code and its stdout+stderr interleaved, for assertion messages.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"$ {Command}\n(exit {ExitCode}, {Elapsed.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>Runs a command with a timeout and a clean environment for nested dotnet/MSBuild calls.</summary>
public static class ProcessRunner
{
    // Set by `dotnet test` for the test host; a nested `dotnet build` must find its own SDK.
    private static readonly string[] InheritedMsBuildVariables =
    {
        "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
    };

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in InheritedMsBuildVariables) start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        if (environment is not null)
            foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;

        string command = fileName + " " + string.Join(" ", start.ArgumentList);
        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)(timeout ?? TimeSpan.FromMinutes(5)).TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) return new ProcessResult(command, -1, output + $"\n[killed after {timeout ?? TimeSpan.FromMinutes(5)}]", watch.Elapsed);
        }
        process.WaitForExit(); // drains the asynchronous readers
        lock (output) return new ProcessResult(command, process.ExitCode, output.ToString(), watch.Elapsed);
    }
}
