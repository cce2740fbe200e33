using System;
using System.IO;
using System.Linq;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using SubnetGen.Core.Artifact;
using SubnetGen.TestSupport;
using Xunit.Abstractions;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// The generated model in the browser: a Blazor WebAssembly app that references SubnetGen and names the released
/// CompOFA supernet in its constraints.json is published, served over HTTP from this process, and opened in headless
/// Chromium; the page classifies real Fashion-MNIST test images with the generated class (Mono on WebAssembly) and
/// writes its probabilities into the DOM, which must match the plain-loop reference run on the build's own artifact.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class BlazorWebAssemblyTests
{
    private const int Images = 100;
    private const string Chromium = "/usr/bin/chromium";

    private readonly PackedFeedFixture _feed;
    private readonly ITestOutputHelper _output;

    public BlazorWebAssemblyTests(PackedFeedFixture feed, ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
    }

    private const string Program = """
        using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
        using Microsoft.Extensions.DependencyInjection;

        var builder = WebAssemblyHostBuilder.CreateDefault(args);
        builder.RootComponents.Add<SampleApp.Classify>("#app");
        builder.Services.AddScoped(_ => new System.Net.Http.HttpClient { BaseAddress = new System.Uri(builder.HostEnvironment.BaseAddress) });
        await builder.Build().RunAsync();
        """;

    // One line per image: the label the page picks, then the ten probabilities (round-trip formatted). The page posts
    // them back to the server that served it: a headless browser's DOM dump cannot tell when a WebAssembly app is done.
    private const string Page = """
        @using System.Globalization
        @using System.Text
        @inject System.Net.Http.HttpClient Http
        <pre id="result">@_result</pre>
        @code {
            private string _result = "running";

            protected override async System.Threading.Tasks.Task OnInitializedAsync()
            {
                try { _result = Run(); }
                catch (System.Exception e) { _result = "error " + e; }
                await Http.PostAsync("result", new System.Net.Http.StringContent(_result));
            }

            private static string Run()
            {
                byte[] images = System.Convert.FromBase64String(TestImages.Pixels);
                var model = new FashionClassifier();
                var pixels = new float[784];
                var probabilities = new float[FashionClassifier.ClassCount];
                var text = new StringBuilder("cpu " + System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture + "\n");
                for (int i = 0; i < images.Length / 784; i++)
                {
                    for (int p = 0; p < 784; p++) pixels[p] = images[i * 784 + p] / 255f;
                    model.Predict(pixels, probabilities);
                    int best = 0;
                    for (int c = 1; c < probabilities.Length; c++) if (probabilities[c] > probabilities[best]) best = c;
                    text.Append("image ").Append(best);
                    foreach (float v in probabilities) text.Append(' ').Append(v.ToString("R", CultureInfo.InvariantCulture));
                    text.Append('\n');
                }
                return text.Append("done\n").ToString();
            }
        }
        """;

    private const string Index = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8" /><title>SubnetGen in the browser</title><base href="/" /></head>
        <body><div id="app">loading</div><script src="_framework/blazor.webassembly.js"></script></body></html>
        """;

    [Fact]
    public void The_generated_model_classifies_in_a_browser_like_the_reference()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run `bash build/install-test-deps.sh` (installs Debian's chromium).");

        var app = new ConsumerProject(_feed, "blazor", ConsumerProject.Constraints("""{ "maxPeakMemoryKB": 300, "maxWeightsKB": 3072 }"""));
        var runtime = Environment.Version; // the SDK's runtime: its ASP.NET Core packages have the same version
        app.UseSdk("Microsoft.NET.Sdk.BlazorWebAssembly");
        app.UseProgram(Program, ("Microsoft.AspNetCore.Components.WebAssembly", $"{runtime.Major}.{runtime.Minor}.{runtime.Build}"));
        File.WriteAllText(Path.Combine(app.Directory, "Classify.razor"), Page);
        Directory.CreateDirectory(Path.Combine(app.Directory, "wwwroot"));
        File.WriteAllText(Path.Combine(app.Directory, "wwwroot", "index.html"), Index);
        var (images, labels) = FashionMnistPngFolder.Load("t10k", Images);
        File.WriteAllText(Path.Combine(app.Directory, "TestImages.cs"),
            $"namespace SampleApp;\n\ninternal static class TestImages\n{{\n    public const string Pixels = \"{Convert.ToBase64String(images)}\";\n}}\n");

        string published = Path.Combine(app.Directory, "published");
        var publish = ProcessRunner.Run("dotnet", new[] { "publish", "--nologo", "-nodeReuse:false", "-c", "Release", "-o", published },
            app.Directory, _feed.Environment, TimeSpan.FromMinutes(5));
        Assert.True(publish.ExitCode == 0, BuildOutput.Excerpt(publish));

        string result;
        using (var server = new StaticFileServer(Path.Combine(published, "wwwroot")))
            result = server.ResultFromBrowser(Chromium, TimeSpan.FromMinutes(4));
        Assert.True(result.EndsWith("done\n", StringComparison.Ordinal), "the page did not finish classifying:\n" + result);
        string[] lines = result.Split('\n');
        Assert.Equal("cpu Wasm", lines[0]);
        var rows = ClassifiedImages.Parse(result);
        Assert.Equal(Images, rows.Length);

        // The oracle: the plain-loop reference on the artifact this very build wrote.
        string artifacts = Path.Combine(app.Directory, "obj", "Release", "net10.0", "subnetgen");
        var artifact = SubnetArtifact.Read(Path.Combine(artifacts, ConsumerProject.ModelName + ".subnet.json"));
        var weights = artifact.ReadWeights(Path.Combine(artifacts, ConsumerProject.ModelName + ".weights.bin"));
        int right = 0;
        double worst = 0;
        for (int i = 0; i < Images; i++)
        {
            var pixels = new float[784];
            for (int p = 0; p < pixels.Length; p++) pixels[p] = images[i * 784 + p] / 255f;
            var expected = ReferenceForward.Run(artifact, weights, pixels).Probabilities;
            var (label, probabilities) = rows[i];
            Assert.Equal(expected.Length, probabilities.Length);
            for (int c = 0; c < expected.Length; c++) worst = Math.Max(worst, Math.Abs(expected[c] - probabilities[c]));
            Assert.True(Array.IndexOf(expected, expected.Max()) == label, $"image {i}: the browser picked {label}, the reference {Array.IndexOf(expected, expected.Max())}");
            if (label == labels[i]) right++;
        }
        _output.WriteLine($"{right} of {Images} right in the browser; probabilities within {worst:G3} of the reference");
        Assert.True(worst < 1e-4, $"the browser's probabilities differ from the reference by up to {worst:G3}");
        Assert.True(right >= Images * 85 / 100, $"{right} of {Images} right in the browser");
    }

    /// <summary>
    /// Serves a folder over HTTP on a free loopback port with ASP.NET Core's static files (Kestrel, which knows a
    /// WebAssembly app's content types), and takes the page's result as a POST to /result.
    /// </summary>
    private sealed class StaticFileServer : IDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource<string> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StaticFileServer(string root)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            _app = builder.Build();
            _app.Use(async (context, next) =>
            {
                if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/result")
                {
                    await next(context);
                    return;
                }
                using var reader = new StreamReader(context.Request.Body);
                _result.TrySetResult(await reader.ReadToEndAsync());
            });
            var files = new PhysicalFileProvider(root);
            _app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            _app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ServeUnknownFileTypes = true });
            _app.StartAsync().GetAwaiter().GetResult();
            Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
        }

        public string Url { get; }

        /// <summary>Opens the page in headless <paramref name="chromium"/> and waits for what it posts, then closes the browser.</summary>
        public string ResultFromBrowser(string chromium, TimeSpan timeout)
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", Url })
                start.ArgumentList.Add(argument);
            using var browser = Process.Start(start)!;
            var log = new System.Text.StringBuilder();
            browser.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            browser.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            browser.BeginOutputReadLine();
            browser.BeginErrorReadLine();
            try
            {
                if (_result.Task.Wait(timeout)) return _result.Task.Result;
                lock (log) return $"no result from the page in {timeout.TotalSeconds:F0} s; chromium {(browser.HasExited ? "exited " + browser.ExitCode : "still running")}:\n{log}";
            }
            finally
            {
                if (!browser.HasExited) browser.Kill(entireProcessTree: true);
                browser.WaitForExit();
            }
        }

        public void Dispose() => _app.StopAsync().GetAwaiter().GetResult();
    }
}
