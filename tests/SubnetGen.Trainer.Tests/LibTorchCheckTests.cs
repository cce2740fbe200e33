using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Trainer.Commands;

namespace SubnetGen.Trainer.Tests;

/// <summary>
/// The trainer's check that libtorch loads (SNG6010 for a libstdc++ older than GCC 13's, SNG6011 otherwise). This machine
/// has a new enough libstdc++, so Debian 12's is stood in for by files that lack the version, by the loader's own message
/// and, end to end, by a copy of this machine's libstdc++ whose newest version names are renamed, put first by
/// LD_LIBRARY_PATH for a real `subnetgen-train` process.
/// </summary>
public sealed class LibTorchCheckTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "subnetgen-libstdcxx-" + Guid.NewGuid().ToString("N"));

    public LibTorchCheckTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>libLibTorchSharp.so as the trainer's build output ships it (runtimes/linux-x64/native beside the tests).</summary>
    private static string LibTorchSharp()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"{path} is missing: these tests run on Linux x64 with the trainer built beside them (TorchSharp-cpu).");
        return path;
    }

    /// <summary>The libstdc++ this test process runs with (the .NET runtime maps it).</summary>
    private static string ThisProcessLibStdCxx()
    {
        string? path = LibTorchCheck.MappedLibStdCxx(File.ReadLines("/proc/self/maps"));
        Assert.True(path is not null && File.Exists(path), "no libstdc++ is mapped into this process (/proc/self/maps): the tests expect Linux with glibc.");
        return path!;
    }

    [Fact]
    public void The_required_version_is_the_newest_libLibTorchSharp_asks_for()
    {
        // A TorchSharp upgrade that needs another libstdc++ must change the constant (and docs/errors/trainer.md) with it.
        Assert.Equal(LibTorchCheck.RequiredGlibcxx, LibTorchCheck.NewestGlibcxx(File.ReadAllBytes(LibTorchSharp())));
    }

    [Fact]
    public void The_mapped_libstdcxx_is_read_from_proc_maps_lines()
    {
        var lines = new[]
        {
            "7f00c0000000-7f00c0021000 rw-p 00000000 00:00 0 ",
            "7f00c1200000-7f00c129d000 r--p 00000000 fe:00 8888386                    /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30",
            "7f00c2200000-7f00c229d000 r-xp 00000000 fe:00 8888387                    /opt/other/libstdc++.so.6",
        };
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", LibTorchCheck.MappedLibStdCxx(lines));
        Assert.Null(LibTorchCheck.MappedLibStdCxx(new[] { "7f00c0000000-7f00c0021000 r--p 00000000 fe:00 1 /usr/lib/x86_64-linux-gnu/libc.so.6" }));
    }

    [Fact]
    public void This_machines_libstdcxx_passes()
    {
        string libstdcxx = ThisProcessLibStdCxx();
        var problem = LibTorchCheck.CheckLibStdCxx(libstdcxx, null);
        Assert.True(problem is null, $"{libstdcxx} should define {LibTorchCheck.RequiredGlibcxx} (TorchSharp loads in these tests): {problem}");
    }

    [Fact]
    public void A_gcc12_libstdcxx_is_SNG6010_with_the_file_and_what_to_install()
    {
        string fake = Path.Combine(_folder, "libstdc++.so.6.0.30");
        File.WriteAllBytes(fake, Encoding.ASCII.GetBytes("\0GLIBCXX_3.4\0GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0CXXABI_1.3.13\0"));

        var problem = LibTorchCheck.CheckLibStdCxx(fake, ldLibraryPath: null);

        Assert.NotNull(problem);
        Assert.Equal(DiagnosticCodes.LibStdCxxTooOld, problem!.Code);
        Assert.Contains(fake + ", lacks GLIBCXX_3.4.32 (it stops at GLIBCXX_3.4.30, GCC 12's", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LD_LIBRARY_PATH", problem.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -t trixie libstdc++6", problem.Fix, StringComparison.Ordinal);
        Assert.Contains("Pin-Priority: 100", problem.Fix, StringComparison.Ordinal);
        Assert.StartsWith("error SNG6010: ", problem.ToString(), StringComparison.Ordinal);

        // Found through LD_LIBRARY_PATH: the message says which entry put it first.
        var viaVariable = LibTorchCheck.CheckLibStdCxx(fake, "/nonexistent:" + _folder + "/");
        Assert.Contains($"LD_LIBRARY_PATH ({_folder}/)", viaVariable!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_loaders_message_is_SNG6010_when_it_names_a_missing_GLIBCXX_and_SNG6011_otherwise()
    {
        // What NativeLibrary.Load says on Debian 12 (captured with a libstdc++ lacking the version).
        const string debian12 = "Unable to load shared library '/tools/libLibTorchSharp.so' or one of its dependencies. In order to help diagnose loading problems, " +
            "consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n" +
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /tools/libLibTorchSharp.so)";
        var tooOld = LibTorchCheck.FromLoaderMessage(debian12, null);
        Assert.Equal(DiagnosticCodes.LibStdCxxTooOld, tooOld.Code);
        Assert.Contains("/usr/lib/x86_64-linux-gnu/libstdc++.so.6, lacks GLIBCXX_3.4.32", tooOld.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -t trixie libstdc++6", tooOld.Fix, StringComparison.Ordinal);

        const string missingFile = "Unable to load shared library 'LibTorchSharp' or one of its dependencies. In order to help diagnose loading problems, " +
            "consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n" +
            "libtorch_cpu.so: cannot open shared object file: No such file or directory\n";
        var other = LibTorchCheck.FromLoaderMessage(missingFile, null);
        Assert.Equal(DiagnosticCodes.LibTorchNotLoadable, other.Code);
        Assert.Contains("LD_DEBUG environment variable: libtorch_cpu.so: cannot open shared object file: No such file or directory", other.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", other.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install SubnetGen.Trainer", other.Fix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The real trainer in a real process, with this machine's libstdc++ made to look like GCC 12's: the version names from
    /// GLIBCXX_3.4.31 on are renamed in a copy (so the dynamic loader refuses libLibTorchSharp exactly as on Debian 12) and
    /// LD_LIBRARY_PATH puts the copy first. One coded line, no TorchSharp page, no stack trace.
    /// </summary>
    [Fact]
    public async System.Threading.Tasks.Task The_trainer_stops_with_SNG6010_on_a_gcc12_libstdcxx()
    {
        byte[] library = File.ReadAllBytes(ThisProcessLibStdCxx());
        Assert.True(LibTorchCheck.NewestGlibcxx(library) is string newest && string.CompareOrdinal(newest, "GLIBCXX_3.4.31") >= 0,
            "this machine's libstdc++ should define GLIBCXX_3.4.31 or newer (the tests load TorchSharp with it)");
        for (int minor = 31; minor <= 39; minor++)
        {
            byte[] name = Encoding.ASCII.GetBytes($"GLIBCXX_3.4.{minor}\0");
            for (int at = library.AsSpan().IndexOf(name); at >= 0; at = library.AsSpan().IndexOf(name))
                library[at + "GLIBCXX_".Length] = (byte)'X'; // GLIBCXX_X.4.32: same length, no longer a version anyone asks for
        }
        File.WriteAllBytes(Path.Combine(_folder, "libstdc++.so.6"), library);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "subnetgen-train.dll"), "measure", "--steps", "1", "--batch-size", "2" })
            start.ArgumentList.Add(argument);
        start.Environment["LD_LIBRARY_PATH"] = _folder;
        using var process = Process.Start(start)!;
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(1));
        var stdoutRead = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderrRead = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token); // throws after a minute
        string stdout = await stdoutRead, stderr = await stderrRead, output = stdout + stderr;

        Assert.True(process.ExitCode == 1, $"exit code {process.ExitCode}:\n{output}");
        Assert.Equal("", stdout); // nothing from TorchSharp's loader on stdout
        string line = stderr.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error SNG6010: ", line, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(_folder, "libstdc++.so.6")}, lacks GLIBCXX_3.4.32 (it stops at GLIBCXX_3.4.30, GCC 12's", line, StringComparison.Ordinal);
        Assert.Contains($"LD_LIBRARY_PATH ({_folder})", line, StringComparison.Ordinal);
        Assert.Contains("apt-get install -t trixie libstdc++6", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }
}
