using System.Text.RegularExpressions;

namespace Infra.Docs.Tests.Site;

/// <summary>Every internal link of the built site leads to a file that exists, and to an anchor that exists on it.</summary>
[Collection(DocsSiteCollection.Name)]
public sealed partial class LinkCheckTests(DocsSite site)
{
    [Fact]
    public void Every_internal_link_and_anchor_in_the_built_site_resolves()
    {
        site.EnsureBuilt();
        var root = DocsSite.OutputDirectory;
        var anchors = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var broken = new List<string>();
        var checkedLinks = 0;

        foreach (var page in Directory.EnumerateFiles(root, "*.html", SearchOption.AllDirectories))
        {
            var html = File.ReadAllText(page);
            foreach (Match match in LinkAttribute().Matches(html))
            {
                var link = System.Net.WebUtility.HtmlDecode(match.Groups["url"].Value);
                if (IsExternal(link))
                {
                    continue;
                }

                checkedLinks++;
                var (path, fragment) = Split(link);
                var target = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
                if (Directory.Exists(target))
                {
                    target = Path.Combine(target, "index.html");
                }

                var from = Path.GetRelativePath(root, page);
                if (!target.StartsWith(root, StringComparison.Ordinal) || !File.Exists(target))
                {
                    broken.Add($"{from}: {link} (no file)");
                }
                else if (fragment.Length > 0 && target.EndsWith(".html", StringComparison.Ordinal) && !AnchorsOf(target, anchors).Contains(fragment))
                {
                    broken.Add($"{from}: {link} (no anchor '{fragment}')");
                }
            }
        }

        Assert.True(checkedLinks > 1000, $"only {checkedLinks} internal links found; is the site empty?");
        Assert.True(broken.Count == 0, "broken internal links:\n" + string.Join('\n', broken.Distinct().Take(50)));
    }

    private static bool IsExternal(string link) =>
        link.Length == 0 || link.StartsWith("http:", StringComparison.Ordinal) || link.StartsWith("https:", StringComparison.Ordinal)
        || link.StartsWith("mailto:", StringComparison.Ordinal) || link.StartsWith("data:", StringComparison.Ordinal)
        || link.StartsWith("javascript:", StringComparison.Ordinal) || link.StartsWith("//", StringComparison.Ordinal);

    private static (string Path, string Fragment) Split(string link)
    {
        var hash = link.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? string.Empty : Uri.UnescapeDataString(link[(hash + 1)..]);
        var path = hash < 0 ? link : link[..hash];
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return (query < 0 ? path : path[..query], fragment);
    }

    private static HashSet<string> AnchorsOf(string page, Dictionary<string, HashSet<string>> cache)
    {
        if (!cache.TryGetValue(page, out var ids))
        {
            ids = [.. IdAttribute().Matches(File.ReadAllText(page)).Select(match => System.Net.WebUtility.HtmlDecode(match.Groups["id"].Value))];
            cache[page] = ids;
        }

        return ids;
    }

    [GeneratedRegex("""\s(?:href|src)="(?<url>[^"]*)"|\s(?:href|src)='(?<url>[^']*)'""")]
    private static partial Regex LinkAttribute();

    [GeneratedRegex("""\s(?:id|name)="(?<id>[^"]+)"|\s(?:id|name)='(?<id>[^']+)'""")]
    private static partial Regex IdAttribute();
}
