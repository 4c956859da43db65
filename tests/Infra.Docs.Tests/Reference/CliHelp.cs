using System.Text.RegularExpressions;
using Infra.TestSupport;

namespace Infra.Docs.Tests.Reference;

/// <summary>One command as <c>./infra [path] --help</c> describes it: its path (<c>stack init</c>) and its flags.</summary>
public sealed record HelpCommand(string Path, IReadOnlySet<string> Flags);

/// <summary>
/// Reads the CLI's own help, walking from <c>./infra --help</c> into every branch and command, and collects each
/// command's long flags. The help is the truth the CLI reference is checked against.
/// </summary>
public static partial class CliHelp
{
    /// <summary>Flags every command has; the reference states them once instead of in every section.</summary>
    public static readonly IReadOnlySet<string> Universal = new HashSet<string>(StringComparer.Ordinal) { "--help" };

    public static async Task<IReadOnlyList<HelpCommand>> ReadAllAsync()
    {
        var commands = new List<HelpCommand>();
        var pending = new Queue<string>([string.Empty]);
        while (pending.Count > 0)
        {
            // Each level's help pages are independent processes; read a level at a time, in parallel.
            var level = pending.ToList();
            pending.Clear();
            var pages = await Task.WhenAll(level.Select(ReadHelpAsync));
            foreach (var (path, page) in level.Zip(pages))
            {
                var sections = Sections(page);
                var children = sections.GetValueOrDefault("COMMANDS", []).Select(CommandName).Where(name => name.Length > 0).ToList();
                foreach (var child in children)
                {
                    pending.Enqueue(path.Length == 0 ? child : path + " " + child);
                }

                if (children.Count == 0 && path.Length > 0)
                {
                    var flags = sections.GetValueOrDefault("OPTIONS", []).SelectMany(LongFlags).Where(flag => !Universal.Contains(flag));
                    commands.Add(new HelpCommand(path, new HashSet<string>(flags, StringComparer.Ordinal)));
                }
            }
        }

        return commands;
    }

    private static async Task<string> ReadHelpAsync(string path)
    {
        string[] args = [.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];
        var result = await CliRunner.RunAsync(RepositoryPaths.Root, new Dictionary<string, string?>(), args);
        Assert.True(result.ExitCode == 0, $"./infra {string.Join(' ', args)} failed: {result}");
        return result.Stdout;
    }

    /// <summary>Splits a help page into its sections (USAGE, OPTIONS, COMMANDS, ...) by their upper-case headers.</summary>
    private static Dictionary<string, List<string>> Sections(string page)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in page.Split('\n'))
        {
            var header = SectionHeader().Match(line);
            if (header.Success)
            {
                current = sections[header.Groups["name"].Value] = [];
            }
            else if (current is not null && line.Trim().Length > 0)
            {
                current.Add(line.TrimEnd());
            }
        }

        return sections;
    }

    /// <summary>The command's name from a COMMANDS row (<c>    init &lt;NAME&gt;    Create a stack</c>); continuation lines give none.</summary>
    private static string CommandName(string row)
    {
        var match = CommandRow().Match(row);
        return match.Success ? match.Groups["name"].Value : string.Empty;
    }

    /// <summary>The long flags in an OPTIONS row's first column; description text and wrapped lines give none.</summary>
    private static IEnumerable<string> LongFlags(string row)
    {
        // A flag row starts near the margin; a wrapped description line is indented to the description column and
        // may begin with a flag it mentions ("--save-plan FILE'"), which is not one of this command's flags.
        if (!OptionRow().IsMatch(row))
        {
            return [];
        }

        var column = ColumnGap().Split(row.TrimStart())[0];
        return LongFlag().Matches(column).Select(match => match.Value);
    }

    [GeneratedRegex(@"^(?<name>[A-Z][A-Z ]+):\s*$")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^ {1,8}(?<name>[a-z][a-z0-9-]*)(\s|$)")]
    private static partial Regex CommandRow();

    [GeneratedRegex(@"^ {1,8}-")]
    private static partial Regex OptionRow();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();

    [GeneratedRegex(@"--[a-z][a-z0-9-]*")]
    private static partial Regex LongFlag();
}
