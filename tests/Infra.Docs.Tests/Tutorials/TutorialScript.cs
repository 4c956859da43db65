using System.Text;
using System.Text.RegularExpressions;

namespace Infra.Docs.Tests.Tutorials;

/// <summary>What a fenced block of a tutorial is for.</summary>
public enum BlockKind
{
    /// <summary><c>```sh</c>: a shell step, run in order in the tutorial's folder.</summary>
    Shell,

    /// <summary><c>```output</c>: what the shell step just before printed (see <see cref="TutorialOutput"/>).</summary>
    Output,

    /// <summary>Any block with <c>title="path"</c>: a file the reader writes, at that point in the tutorial.</summary>
    File,
}

/// <summary>One executable block of a tutorial, with the line of the page it starts on.</summary>
public sealed record TutorialBlock(BlockKind Kind, string Text, int Line, string? Path = null);

/// <summary>
/// Reads a tutorial page into its executable blocks, and turns them into one bash script that runs them in order in
/// an empty folder. Shell steps share one shell, so a variable set in one step is there in the next. Every shell
/// and C# block must be executable: a C# block without a <c>title="File.cs"</c> is an error, not skipped.
/// </summary>
public static partial class TutorialScript
{
    public const string Marker = "@@tutorial-block ";

    public static IReadOnlyList<TutorialBlock> Parse(string markdown)
    {
        var blocks = new List<TutorialBlock>();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var fence = Fence().Match(lines[index]);
            if (!fence.Success)
            {
                continue;
            }

            var start = index + 1;
            var body = new StringBuilder();
            var indent = fence.Groups["indent"].Value.Length;
            for (index++; index < lines.Length && !lines[index].TrimStart().StartsWith(fence.Groups["fence"].Value, StringComparison.Ordinal); index++)
            {
                var line = lines[index];
                body.Append(line.Length >= indent && line[..indent].Trim().Length == 0 ? line[indent..] : line.TrimStart()).Append('\n');
            }

            var language = fence.Groups["lang"].Value;
            var title = Title().Match(fence.Groups["info"].Value);
            if (title.Success)
            {
                blocks.Add(new TutorialBlock(BlockKind.File, body.ToString(), start, title.Groups["path"].Value));
            }
            else if (language is "sh" or "bash" or "shell")
            {
                blocks.Add(new TutorialBlock(BlockKind.Shell, body.ToString(), start));
            }
            else if (language == "output")
            {
                if (blocks.Count == 0 || blocks[^1].Kind != BlockKind.Shell)
                {
                    throw new FormatException($"line {start}: an output block must follow a shell block");
                }

                blocks.Add(new TutorialBlock(BlockKind.Output, body.ToString(), start));
            }
            else if (language is "csharp" or "cs" or "c#")
            {
                throw new FormatException($"line {start}: a C# block needs title=\"File.cs\" so that it is written and compiled, not skipped");
            }
        }

        return blocks;
    }

    /// <summary>The bash script that runs every block in order, printing a marker before each shell step.</summary>
    public static string ToBash(IReadOnlyList<TutorialBlock> blocks)
    {
        var script = new StringBuilder("set -euo pipefail\nexec 2>&1\n");
        for (var index = 0; index < blocks.Count; index++)
        {
            var block = blocks[index];
            switch (block.Kind)
            {
                case BlockKind.File:
                    var delimiter = "INFRA_TUTORIAL_FILE_" + index;
                    script.Append("mkdir -p \"$(dirname '").Append(block.Path).Append("')\"\n")
                        .Append("cat > '").Append(block.Path).Append("' <<'").Append(delimiter).Append("'\n")
                        .Append(block.Text).Append(delimiter).Append('\n');
                    break;
                case BlockKind.Shell:
                    script.Append("printf '\\n").Append(Marker).Append(index).Append("@@\\n'\n").Append(block.Text).Append('\n');
                    break;
            }
        }

        return script.Append("printf '\\n").Append(Marker).Append("end@@\\n'\n").ToString();
    }

    /// <summary>Splits what the script printed into each shell step's output, keyed by the step's block index.</summary>
    public static (Dictionary<int, string> Outputs, int? LastStarted) Split(string printed)
    {
        var outputs = new Dictionary<int, string>();
        int? current = null;
        int? lastStarted = null;
        var text = new StringBuilder();
        foreach (var line in printed.Split('\n'))
        {
            var marker = MarkerLine().Match(line);
            if (!marker.Success)
            {
                text.Append(line).Append('\n');
                continue;
            }

            if (current is int finished)
            {
                outputs[finished] = text.ToString();
            }

            text.Clear();
            current = int.TryParse(marker.Groups["index"].Value, out var started) ? started : null;
            lastStarted = current ?? lastStarted;
            if (current is null)
            {
                lastStarted = null;
            }
        }

        if (current is int unfinished)
        {
            outputs[unfinished] = text.ToString();
        }

        return (outputs, lastStarted);
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?<fence>```+)(?<lang>[A-Za-z#]*)(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex("title=\"(?<path>[^\"]+)\"")]
    private static partial Regex Title();

    [GeneratedRegex(@"^@@tutorial-block (?<index>\d+|end)@@$")]
    private static partial Regex MarkerLine();
}

/// <summary>
/// Compares a shell step's output with the page's <c>```output</c> block. Lines match exactly (trailing spaces and
/// surrounding blank lines aside), except that <c>...</c> inside a line matches any text, and a line that is only
/// <c>...</c> matches any number of lines: durations, generated names and random values are written that way.
/// </summary>
public static class TutorialOutput
{
    public static bool Matches(string expected, string actual) => Pattern(expected).IsMatch(Normalize(actual));

    public static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(line => line.TrimEnd())).Trim('\n');

    private static Regex Pattern(string expected)
    {
        var lines = Normalize(expected).Split('\n');
        var pattern = new StringBuilder("^");
        for (var index = 0; index < lines.Length; index++)
        {
            var last = index == lines.Length - 1;
            if (lines[index] == "...")
            {
                // At the end: any further lines. Elsewhere: any whole lines before the next expected one.
                pattern.Append(last ? @"(?:\n[^\n]*)*" : @"(?:[^\n]*\n)*?");
                continue;
            }

            pattern.Append(Regex.Escape(lines[index]).Replace(@"\.\.\.", @"[^\n]*", StringComparison.Ordinal));
            var nextIsFinalWildcard = index == lines.Length - 2 && lines[^1] == "...";
            if (!last && !nextIsFinalWildcard)
            {
                pattern.Append(@"\n");
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.None, TimeSpan.FromSeconds(5));
    }
}
