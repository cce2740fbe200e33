using System;
using System.Globalization;
using System.IO;
using System.Linq;
using SubnetGen.TestSupport;
using Xunit.Abstractions;

namespace SubnetGen.Integration.Tests;

/// <summary>
/// The promise "no ML runtime on the device" on another CPU: one consuming project, built once for this machine and
/// once published self-contained for linux-arm64 and run under qemu-aarch64 (user-mode emulation: ARM64 code, NEON's
/// 4-float vectors instead of this machine's wider ones). Both classify the same real Fashion-MNIST test images; the
/// labels must agree and the probabilities match to float rounding, and the arm64 folder must hold no native library
/// beyond .NET's own runtime.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class LinuxArm64Tests
{
    private const int Images = 1000;
    private const string Qemu = "/usr/bin/qemu-aarch64";
    private const string Sysroot = "/usr/aarch64-linux-gnu";

    private readonly PackedFeedFixture _feed;
    private readonly ITestOutputHelper _output;

    public LinuxArm64Tests(PackedFeedFixture feed, ITestOutputHelper output)
    {
        _feed = feed;
        _output = output;
    }

    private const string Program = """
        using System;
        using System.Globalization;
        using System.IO;
        using System.Numerics;
        using System.Runtime.InteropServices;
        using System.Text;
        using SubnetGen.Runtime;

        namespace SampleApp;

        public static class Program
        {
            public static int Main(string[] args)
            {
                byte[] images = File.ReadAllBytes(args[0]), labels = File.ReadAllBytes(args[1]);
                var model = new FashionClassifier();
                var probabilities = new float[FashionClassifier.ClassCount];
                var output = new StringBuilder();
                output.Append("cpu ").Append(RuntimeInformation.ProcessArchitecture).Append(" floats per vector ").Append(Vector<float>.Count).Append('\n');
                int right = 0;
                for (int i = 0; i < labels.Length; i++)
                {
                    model.Predict(images.AsSpan(i * 784, 784), 28, 28, 28, PixelFormat.Gray8, probabilities);
                    int best = 0;
                    for (int c = 1; c < probabilities.Length; c++) if (probabilities[c] > probabilities[best]) best = c;
                    if (best == labels[i]) right++;
                    output.Append("image ").Append(best);
                    foreach (float p in probabilities) output.Append(' ').Append(p.ToString("R", CultureInfo.InvariantCulture));
                    output.Append('\n');
                }
                output.Append("right ").Append(right).Append(" of ").Append(labels.Length).Append('\n');
                Console.Write(output.ToString());
                return 0;
            }
        }
        """;

    [Fact]
    public void The_generated_model_runs_on_linux_arm64_with_no_native_library_and_agrees_with_this_machine()
    {
        Assert.True(File.Exists(Qemu) && File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")),
            $"{Qemu} or the arm64 C library in {Sysroot} is missing: run `bash build/install-test-deps.sh` (installs Debian's qemu-user, libc6-arm64-cross and libstdc++6-arm64-cross).");

        var app = new ConsumerProject(_feed, "arm64",
            ConsumerProject.Constraints("""{ "maxPeakMemoryKB": 300, "maxWeightsKB": 3072 }"""));
        app.UseProgram(Program);
        var (images, labels) = TestImages(app.Directory);

        var build = app.Build();
        Assert.True(build.ExitCode == 0, BuildOutput.Excerpt(build));
        var here = app.Run(images, labels);
        Assert.True(here.ExitCode == 0, BuildOutput.Excerpt(here));

        string published = Path.Combine(app.Directory, "arm64");
        var publish = ProcessRunner.Run("dotnet", new[] { "publish", "--nologo", "-nodeReuse:false", "-r", "linux-arm64", "--self-contained",
            "-p:InvariantGlobalization=true", "-o", published }, app.Directory, _feed.Environment, TimeSpan.FromMinutes(5));
        Assert.True(publish.ExitCode == 0, BuildOutput.Excerpt(publish));
        var there = ProcessRunner.Run(Qemu, new[] { "-L", Sysroot, Path.Combine(published, "Consumer"), images, labels },
            app.Directory, _feed.Environment, TimeSpan.FromMinutes(5));
        Assert.True(there.ExitCode == 0, there.ToString());

        Assert.StartsWith("cpu Arm64 floats per vector 4\n", there.Output, StringComparison.Ordinal);
        Assert.StartsWith("cpu X64 ", here.Output, StringComparison.Ordinal);
        var ours = ClassifiedImages.Parse(here.Output);
        var theirs = ClassifiedImages.Parse(there.Output);
        Assert.Equal(Images, ours.Length);
        Assert.Equal(Images, theirs.Length);
        double worst = 0;
        for (int i = 0; i < Images; i++)
        {
            Assert.True(ours[i].Label == theirs[i].Label, $"image {i}: label {ours[i].Label} here, {theirs[i].Label} on arm64");
            for (int c = 0; c < ours[i].Probabilities.Length; c++)
                worst = Math.Max(worst, Math.Abs(ours[i].Probabilities[c] - theirs[i].Probabilities[c]));
        }
        // Other vector widths add in another order: the last bits differ, nothing more.
        Assert.True(worst < 1e-5, $"probabilities differ by up to {worst:G3} between this machine and arm64");
        string right = Right(there.Output);
        _output.WriteLine($"{right} of {Images} right on arm64 and here; probabilities differ by up to {worst:G3}; qemu run {there.Elapsed.TotalSeconds:F1} s, here {here.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(Right(here.Output), right);
        Assert.True(int.Parse(right, CultureInfo.InvariantCulture) >= Images * 88 / 100, $"{right} of {Images} right on arm64");

        // Only .NET's own native files: the runtime pack's, nothing a model brought along.
        string runtimePack = Directory.GetDirectories(Path.Combine(_feed.Packages, "microsoft.netcore.app.runtime.linux-arm64")).Single();
        var runtimeNative = Directory.GetFiles(Path.Combine(runtimePack, "runtimes", "linux-arm64", "native")).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var native = Directory.GetFiles(published, "*.so*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("libcoreclr.so", native);
        var foreign = native.Where(f => !runtimeNative.Contains(f!)).ToList();
        Assert.True(foreign.Count == 0, "native libraries beyond .NET's runtime in the arm64 app: " + string.Join(", ", foreign));
    }

    /// <summary>The first <see cref="Images"/> Fashion-MNIST test images and labels as raw bytes, for the app to read.</summary>
    private static (string Images, string Labels) TestImages(string folder)
    {
        var (pixels, labels) = FashionMnistPngFolder.Load("t10k", Images);
        string imagesFile = Path.Combine(folder, "images.bin"), labelsFile = Path.Combine(folder, "labels.bin");
        File.WriteAllBytes(imagesFile, pixels);
        File.WriteAllBytes(labelsFile, labels);
        return (imagesFile, labelsFile);
    }

    private static string Right(string output) =>
        output.Split('\n').Single(l => l.StartsWith("right ", StringComparison.Ordinal)).Split(' ')[1];
}
