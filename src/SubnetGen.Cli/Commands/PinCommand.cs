using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using SubnetGen.Core.Constraints;
using SubnetGen.Core.Diagnostics;
using SubnetGen.Pipeline;

namespace SubnetGen.Cli.Commands;

/// <summary>
/// <c>subnetgen pin [--constraints constraints.json] [--model M]</c>: resolves each model's supernet package the way a
/// build does and writes its SHA-512 into constraints.json as <c>supernet.sha512</c>, so that every later build,
/// on any machine, refuses other bytes under that id and version (SNG2018). An existing pin is replaced with the
/// hash of the package resolved now; an invalid one (SNG1022) too. Nothing else in the file changes.
/// </summary>
internal static class PinCommand
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static Command Create()
    {
        var constraints = new Option<FileInfo>("--constraints", "-c") { Description = "constraints.json to pin.", DefaultValueFactory = _ => new FileInfo("constraints.json") };
        var model = new Option<string?>("--model", "-m") { Description = "Only this model (default: every model)." };
        var command = new Command("pin", "Write the SHA-512 of each model's supernet package into constraints.json, so that builds refuse other bytes under its version.") { constraints, model };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            string path = parse.GetValue(constraints)!.FullName;
            string? only = parse.GetValue(model);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"error: {path} does not exist; run `subnetgen pin` in the folder of constraints.json, or name it with --constraints.");
                return 1;
            }
            // Decoded by hand so that a BOM stays in the text (the reader skips it; the pins writer keeps it).
            string text = Utf8.GetString(File.ReadAllBytes(path));

            // An invalid pin is what this command repairs; any other error stops it.
            var read = ConstraintsReader.Read(text, path);
            var errors = read.Errors.Where(d => d.Code != DiagnosticCodes.ConstraintsInvalidSupernetHash).ToList();
            foreach (var error in errors) Console.Error.WriteLine(error.ToString());
            if (errors.Count > 0) return 1;

            var resolver = new SupernetPackageResolver(new ConsoleLog());
            var hashes = new Dictionary<(string, string), string>();
            bool matched = false;
            string pinned = SupernetPins.Write(text, (name, supernet) =>
            {
                if (only is not null && !string.Equals(name, only, StringComparison.Ordinal)) return null;
                matched = true;
                var key = (supernet.Id, supernet.Version);
                if (!hashes.TryGetValue(key, out string? hash))
                {
                    var resolved = resolver.Resolve(Path.GetDirectoryName(path)!, supernet.Id, supernet.Version, sha512: null, path, CancellationToken.None);
                    hashes[key] = hash = PackageHash.Sha512(resolved.PackageFile);
                }
                string change = supernet.Sha512 is null ? "pinned" : string.Equals(supernet.Sha512, hash, StringComparison.Ordinal) ? "already pinned" : "pin replaced";
                Console.WriteLine($"{name}: {supernet.Id} {supernet.Version} sha512 {hash} ({change})");
                return hash;
            });
            if (!matched && only is not null)
            {
                Console.Error.WriteLine($"error: constraints.json has no model \"{only}\".");
                return 1;
            }
            if (ReferenceEquals(pinned, text)) return 0;

            // Written beside it and moved over it: an interrupted pin leaves the old file whole.
            string temporary = path + ".pin.tmp";
            File.WriteAllText(temporary, pinned, Utf8);
            File.Move(temporary, path, overwrite: true);
            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }
}
