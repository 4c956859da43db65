using System.Text.Json;

namespace Infra.Cli.Rendering;

/// <summary>
/// The diff of a string property that holds a document (JSON, or YAML and other multi-line text, such as a tenant's
/// branding in Helm values): the keys or lines that changed, instead of the whole document twice.
/// </summary>
internal static class DocumentDiff
{
    /// <summary>Lines beyond which a text is not diffed line by line (the quadratic diff would cost more than it shows).</summary>
    private const int MaxLines = 2000;

    /// <summary>
    /// Plain diff lines for <paramref name="path"/> in the shape of <see cref="StepText.Changes(Infra.Deployment.PlannedStep)"/>, or
    /// <see langword="null"/> when the values are not documents.
    /// </summary>
    public static IReadOnlyList<(char Kind, string Text)>? Lines(string path, string before, string after)
    {
        if (Flatten(before) is { } oldKeys && Flatten(after) is { } newKeys)
        {
            return [.. KeyLines(path, oldKeys, newKeys)];
        }

        if (!before.Contains('\n', StringComparison.Ordinal) && !after.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        var (oldLines, newLines) = (before.Split('\n'), after.Split('\n'));
        return oldLines.Length > MaxLines || newLines.Length > MaxLines ? null : [('~', $"~ {path}:"), .. TextLines(oldLines, newLines)];
    }

    private static IEnumerable<(char Kind, string Text)> KeyLines(string path, SortedDictionary<string, string> before, SortedDictionary<string, string> after)
    {
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var name = $"{path}{key}";
            var (hadOld, old) = (before.TryGetValue(key, out var o), o);
            var (hasNew, @new) = (after.TryGetValue(key, out var n), n);
            if (hadOld && hasNew && old == @new)
            {
                continue;
            }

            yield return (hadOld, hasNew) switch
            {
                (false, _) => ('+', $"+ {name}: {@new}"),
                (_, false) => ('-', $"- {name}: {old}"),
                _ => ('~', $"~ {name}: {old} => {@new}"),
            };
        }
    }

    /// <summary>The changed lines of a text diff (longest common subsequence): removed lines, then added ones, in order.</summary>
    private static IEnumerable<(char Kind, string Text)> TextLines(string[] before, string[] after)
    {
        var common = new int[before.Length + 1, after.Length + 1];
        for (var i = before.Length - 1; i >= 0; i--)
        {
            for (var j = after.Length - 1; j >= 0; j--)
            {
                common[i, j] = before[i] == after[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var (x, y) = (0, 0);
        while (x < before.Length || y < after.Length)
        {
            if (x < before.Length && y < after.Length && before[x] == after[y])
            {
                (x, y) = (x + 1, y + 1);
            }
            else if (x < before.Length && (y == after.Length || common[x + 1, y] >= common[x, y + 1]))
            {
                yield return ('-', $"  - {before[x++]}");
            }
            else
            {
                yield return ('+', $"  + {after[y++]}");
            }
        }
    }

    /// <summary>A JSON object or array as leaf paths (<c>.a.b</c>, <c>[0]</c>) to their JSON text, or <see langword="null"/>.</summary>
    private static SortedDictionary<string, string>? Flatten(string text)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith('{') && !trimmed.StartsWith('['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var leaves = new SortedDictionary<string, string>(StringComparer.Ordinal);
            Add(document.RootElement, string.Empty, leaves);
            return leaves;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Add(JsonElement element, string prefix, SortedDictionary<string, string> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Add(property.Value, $"{prefix}.{property.Name}", leaves);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Add(item, $"{prefix}[{index++}]", leaves);
                }

                break;
            default:
                leaves[prefix] = element.GetRawText();
                break;
        }
    }
}
