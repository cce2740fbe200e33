using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace SubnetGen.Generators.Parsing;

/// <summary>
/// Turns a supernet's class names into enum members: words are runs of letters and digits, each
/// starts with a capital, everything else separates ("T-shirt/top" → TShirtTop, "Ankle boot" →
/// AnkleBoot, "ankle_boot" → AnkleBoot); a leading digit gets an underscore ("3d" → _3d).
/// </summary>
internal static class LabelIdentifiers
{
    /// <summary>The identifier, or null when the label has no letter or digit.</summary>
    public static string? FromLabel(string label)
    {
        var sb = new StringBuilder(label.Length + 1);
        bool wordStart = true;
        foreach (char c in label)
        {
            if (!char.IsLetterOrDigit(c))
            {
                wordStart = true;
                continue;
            }
            sb.Append(wordStart ? char.ToUpperInvariant(c) : c);
            wordStart = false;
        }
        if (sb.Length == 0) return null;
        if (!SyntaxFacts.IsIdentifierStartCharacter(sb[0])) sb.Insert(0, '_');
        string identifier = sb.ToString();
        // Letters and digits outside C#'s identifier classes (rare scripts) fail here rather than in the compiler.
        return SyntaxFacts.IsValidIdentifier(identifier) ? identifier : null;
    }
}
