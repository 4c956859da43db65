using System.Text;

namespace Infra.Tenants.Tests.Support;

/// <summary>A unified diff of two texts, line by line, for readable snapshot failures.</summary>
public static class LineDiff
{
    private const int Context = 3;

    public static string Unified(string name, string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        // Longest common subsequence table, from the end; the files are small manifests.
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<(char Mark, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                lines.Add(('-', a[x++]));
            }
            else
            {
                lines.Add(('+', b[y++]));
            }
        }

        var output = new StringBuilder().AppendLine($"--- expected/{name}").AppendLine($"+++ actual/{name}");
        var shown = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var near = lines.Skip(Math.Max(0, i - Context)).Take((2 * Context) + 1).Any(static l => l.Mark != ' ');
            if (!near)
            {
                continue;
            }

            if (shown >= 0 && i > shown + 1)
            {
                output.AppendLine("@@ ... @@");
            }

            output.Append(lines[i].Mark).AppendLine(lines[i].Text);
            shown = i;
        }

        return output.ToString();
    }
}
