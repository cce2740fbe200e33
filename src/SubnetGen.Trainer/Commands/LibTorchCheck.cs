using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using SubnetGen.Core.Diagnostics;
using TorchSharp;

namespace SubnetGen.Trainer.Commands;

/// <summary>
/// Run before the trainer's first call into TorchSharp (<see cref="TorchDevice.Select"/>): libtorch's native
/// libraries load, or a coded error says why and what to install. Without it, a libstdc++ that is too old (Debian
/// 12's) makes TorchSharp print a page claiming that the libtorch package is not referenced, then fail with a
/// TypeInitializationException.
/// </summary>
internal static class LibTorchCheck
{
    /// <summary>
    /// The newest libstdc++ symbol version TorchSharp 0.107.0's libLibTorchSharp.so needs (GCC 13's libstdc++;
    /// libtorch itself needs older ones). A test reads it from the file, so an upgrade that needs another fails there.
    /// </summary>
    public const string RequiredGlibcxx = "GLIBCXX_3.4.32";

    private static readonly Lazy<Diagnostic?> Problem = new(Probe);

    private static readonly Regex GlibcxxVersion = new(@"GLIBCXX_3\.4\.(\d+)\0", RegexOptions.CultureInvariant);

    /// <summary>dlerror's text: "/usr/lib/…/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by …)".</summary>
    private static readonly Regex MissingVersion = new(
        @"(?<library>[^\s:]*libstdc\+\+\.so[^\s:]*): version .(?<version>GLIBCXX_[0-9.]+). not found", RegexOptions.CultureInvariant);

    /// <summary>Throws the coded error when libtorch cannot load here; checked once per process.</summary>
    /// <exception cref="SubnetGenException">SNG6010 (libstdc++ too old) or SNG6011 (any other load failure).</exception>
    public static void Ensure()
    {
        if (Problem.Value is Diagnostic problem) throw new SubnetGenException(problem);
    }

    private static Diagnostic? Probe()
    {
        // The libstdc++ the runtime already mapped is the one libLibTorchSharp will bind to: check it before any load.
        const string maps = "/proc/self/maps";
        if (OperatingSystem.IsLinux() && File.Exists(maps) && MappedLibStdCxx(File.ReadLines(maps)) is string libstdcxx
            && CheckLibStdCxx(libstdcxx, Environment.GetEnvironmentVariable("LD_LIBRARY_PATH")) is Diagnostic tooOld)
            return tooOld;
        // Then load it as TorchSharp will (same name, same probing), so any other failure carries the loader's own words.
        try
        {
            NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return FromLoaderMessage(e.Message, Environment.GetEnvironmentVariable("LD_LIBRARY_PATH"));
        }
    }

    /// <summary>The path of the libstdc++ mapped into this process, from /proc/self/maps lines; null when none is.</summary>
    public static string? MappedLibStdCxx(IEnumerable<string> mapsLines)
    {
        foreach (var line in mapsLines)
        {
            // address perms offset dev inode path — the path is the rest of the line after the fifth field.
            var fields = line.Split((char[]?)null, 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6) continue;
            string path = fields[5].Trim();
            if (path.StartsWith('/') && Path.GetFileName(path).StartsWith("libstdc++.so", StringComparison.Ordinal)) return path;
        }
        return null;
    }

    /// <summary>SNG6010 when the libstdc++ file at <paramref name="path"/> does not define <see cref="RequiredGlibcxx"/>; null when it does.</summary>
    public static Diagnostic? CheckLibStdCxx(string path, string? ldLibraryPath)
    {
        byte[] bytes = File.ReadAllBytes(path);
        // Version names are NUL-terminated strings of the dynamic string table.
        if (bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(RequiredGlibcxx + "\0")) >= 0) return null;
        return TooOld(path, RequiredGlibcxx, NewestGlibcxx(bytes), ldLibraryPath);
    }

    /// <summary>The loader's message of a failed load as a diagnostic: SNG6010 when it names a missing GLIBCXX version, SNG6011 otherwise.</summary>
    public static Diagnostic FromLoaderMessage(string message, string? ldLibraryPath)
    {
        var missing = MissingVersion.Match(message);
        if (missing.Success)
        {
            string library = missing.Groups["library"].Value;
            string? newest = File.Exists(library) ? NewestGlibcxx(File.ReadAllBytes(library)) : null;
            return TooOld(library, missing.Groups["version"].Value, newest, ldLibraryPath);
        }
        string reason = string.Join(" ", message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
        return new Diagnostic(DiagnosticCodes.LibTorchNotLoadable,
            $"TorchSharp {TorchSharpVersion}'s native library (libLibTorchSharp with libtorch) could not be loaded: {reason}",
            Fix: "the loader's message names the file that is missing or does not fit this system. Install the trainer for this platform " +
                 "(`dotnet tool install SubnetGen.Trainer` picks the package built for your OS and CPU; reinstall it if files are missing), " +
                 "or build it here with `dotnet build src/SubnetGen.Trainer`. See docs/errors/trainer.md#sng6002.");
    }

    /// <summary>"GLIBCXX_3.4.30": the newest version a libstdc++ file defines; null when it names none.</summary>
    public static string? NewestGlibcxx(byte[] libstdcxx)
    {
        int newest = -1;
        foreach (Match match in GlibcxxVersion.Matches(Encoding.Latin1.GetString(libstdcxx)))
            newest = Math.Max(newest, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        return newest < 0 ? null : "GLIBCXX_3.4." + newest.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>From the assembly's name: touching <c>torch</c> itself could run the initializer that is failing.</summary>
    private static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "";

    private static Diagnostic TooOld(string library, string required, string? newest, string? ldLibraryPath)
    {
        string has = newest is null ? "" : $" (it stops at {newest}{(newest == "GLIBCXX_3.4.30" ? ", GCC 12's, as Debian 12 and Ubuntu 22.04 ship" : "")})";
        string? fromVariable = ldLibraryPath?.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => string.Equals(Path.GetFullPath(dir).TrimEnd('/'), Path.GetDirectoryName(library), StringComparison.Ordinal));
        string variable = fromVariable is null ? "" : $" It is found through LD_LIBRARY_PATH ({fromVariable}): unset it or put a newer libstdc++ first.";
        return new Diagnostic(DiagnosticCodes.LibStdCxxTooOld,
            $"TorchSharp {TorchSharpVersion}'s native library (libLibTorchSharp with libtorch) cannot be loaded: the C++ runtime this process uses, {library}, " +
            $"lacks {required}{has}; libtorch needs libstdc++ from GCC 13 or newer.{variable}",
            Fix: "install a newer libstdc++6 (as root). On Debian 12 take it from Debian 13, pinned low so nothing else is upgraded: " +
                 "echo 'deb http://deb.debian.org/debian trixie main' > /etc/apt/sources.list.d/trixie.list && " +
                 "printf 'Package: *\\nPin: release n=trixie\\nPin-Priority: 100\\n' > /etc/apt/preferences.d/trixie && " +
                 "apt-get update && apt-get install -t trixie libstdc++6 (SubnetGen's build/install-test-deps.sh does the same). " +
                 "Or use a newer system (Debian 13, Ubuntu 24.04). See docs/errors/trainer.md#sng6001.");
    }
}
