using Infra.Configuration;
using NuGet.Versioning;

namespace Infra.Plugins.Projects;

/// <summary>
/// Adds and removes entries of <c>plugins.require</c> in <c>Pulumi.yaml</c> as text, so the file's comments and
/// layout stay as the user wrote them. Only block-style YAML is edited; anything else is refused with a hint.
/// </summary>
public static class ProjectFileEditor
{
    /// <summary>Sets <c>plugins.require.NAME</c> to <paramref name="range"/>, adding the section if needed.</summary>
    public static void SetRequirement(string projectDirectory, string name, VersionRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        Edit(projectDirectory, name, $"\"{range.ToNormalizedString()}\"");
    }

    /// <summary>Removes <c>plugins.require.NAME</c>; true when it was there.</summary>
    public static bool RemoveRequirement(string projectDirectory, string name) => Edit(projectDirectory, name, null);

    private static bool Edit(string projectDirectory, string name, string? value)
    {
        var path = Path.Combine(projectDirectory, ProjectFile.FileName);
        var lines = File.ReadAllLines(path).ToList();
        var section = lines.FindIndex(static l => l.TrimEnd() == $"{ProjectPluginSettings.SectionKey}:");
        if (section < 0)
        {
            if (value is null)
            {
                return false;
            }

            lines.AddRange(["", $"{ProjectPluginSettings.SectionKey}:", "  require:", $"    {name}: {value}"]);
            return Save(path, lines);
        }

        var end = BlockEnd(lines, section, 0);
        var require = lines.FindIndex(section + 1, end - section - 1, static l => l.Trim() == "require:" && Indent(l) > 0);
        if (require < 0)
        {
            if (lines.Skip(section + 1).Take(end - section - 1).Any(static l => l.TrimStart().StartsWith("require:", StringComparison.Ordinal)))
            {
                throw new ConfigException(path, "plugins.require", "write it as a block mapping (one 'name: range' per line) so it can be edited, or edit it by hand.");
            }

            if (value is null)
            {
                return false;
            }

            lines.InsertRange(section + 1, ["  require:", $"    {name}: {value}"]);
            return Save(path, lines);
        }

        var indent = Indent(lines[require]);
        var requireEnd = BlockEnd(lines, require, indent);
        var existing = lines.FindIndex(require + 1, requireEnd - require - 1, l => l.TrimStart().StartsWith(name + ":", StringComparison.Ordinal));
        var entryIndent = new string(' ', existing >= 0 ? Indent(lines[existing]) : indent + 2);
        if (value is null)
        {
            if (existing < 0)
            {
                return false;
            }

            lines.RemoveAt(existing);
        }
        else if (existing >= 0)
        {
            lines[existing] = $"{entryIndent}{name}: {value}";
        }
        else
        {
            lines.Insert(require + 1, $"{entryIndent}{name}: {value}");
        }

        return Save(path, lines);
    }

    private static int BlockEnd(List<string> lines, int start, int indent)
    {
        var end = start + 1;
        while (end < lines.Count && (string.IsNullOrWhiteSpace(lines[end]) || lines[end].TrimStart().StartsWith('#') || Indent(lines[end]) > indent))
        {
            end++;
        }

        return end;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static bool Save(string path, List<string> lines)
    {
        File.WriteAllText(path, string.Join('\n', lines).TrimEnd('\n') + "\n");
        return true;
    }
}
