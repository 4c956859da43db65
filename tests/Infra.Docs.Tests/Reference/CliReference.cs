using System.Text.RegularExpressions;
using Infra.TestSupport;

namespace Infra.Docs.Tests.Reference;

/// <summary>
/// Reads <c>docs/cli.md</c>: each command is a heading <c>### `infra stack init`</c>, and its flags are the rows of
/// its options table whose first cell starts with a flag (<c>| `-s, --stack NAME` | ... |</c>).
/// </summary>
public static partial class CliReference
{
    public static string FilePath => Path.Combine(RepositoryPaths.Root, "docs", "cli.md");

    public static IReadOnlyList<HelpCommand> Read()
    {
        var commands = new List<HelpCommand>();
        string? path = null;
        HashSet<string>? flags = null;
        foreach (var line in File.ReadLines(FilePath))
        {
            var heading = CommandHeading().Match(line);
            if (heading.Success)
            {
                Flush();
                path = heading.Groups["path"].Value;
                flags = new HashSet<string>(StringComparer.Ordinal);
            }
            else if (line.StartsWith('#'))
            {
                Flush();
            }
            else if (flags is not null && FlagRow().Match(line) is { Success: true } row)
            {
                flags.UnionWith(LongFlag().Matches(row.Groups["cell"].Value).Select(match => match.Value));
            }
        }

        Flush();
        return commands;

        void Flush()
        {
            if (path is not null && flags is not null)
            {
                commands.Add(new HelpCommand(path, flags));
            }

            path = null;
            flags = null;
        }
    }

    [GeneratedRegex(@"^#{2,4} `infra (?<path>[a-z][a-z0-9 -]*[a-z0-9])`\s*$")]
    private static partial Regex CommandHeading();

    [GeneratedRegex(@"^\|\s*`(?<cell>-[^`]*)`")]
    private static partial Regex FlagRow();

    [GeneratedRegex(@"--[a-z][a-z0-9-]*")]
    private static partial Regex LongFlag();
}
