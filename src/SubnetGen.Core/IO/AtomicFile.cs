using System;
using System.IO;
using SubnetGen.Core.Diagnostics;

namespace SubnetGen.Core.IO;

/// <summary>Writes a file through a temporary sibling and a rename, so a reader never sees half a file.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        string temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                write(stream);
            if (File.Exists(full)) File.Replace(temp, full, null);
            else File.Move(temp, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new SubnetGenException(new Diagnostic(DiagnosticCodes.FormatWriteFailed,
                $"Could not write {full}: {e.Message}", full, 0, 0, "check that the folder is writable and the disk has room."), e);
        }
    }

    public static void Write(string path, byte[] bytes) => Write(path, s => s.Write(bytes, 0, bytes.Length));

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
