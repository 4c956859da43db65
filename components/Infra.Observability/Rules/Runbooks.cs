namespace Infra.Observability.Rules;

/// <summary>
/// Where each alert's runbook lives: <c>docs/admin/runbooks/&lt;AlertName&gt;.md</c> in this repository, one file per
/// alert. The <c>runbook_url</c> annotation is the base URL of the repository's web view followed by that path.
/// </summary>
public static class Runbooks
{
    /// <summary>The folder of runbooks, relative to the repository root.</summary>
    public const string Folder = "docs/admin/runbooks";

    /// <summary>The default base: where the repository's files are browsed.</summary>
    public const string DefaultBaseUrl = "https://git.platform.example.com/infra/-/blob/main";

    /// <summary>The runbook's path in the repository.</summary>
    public static string PathOf(string alertName) => $"{Folder}/{alertName}.md";

    /// <summary>The runbook's URL under <paramref name="baseUrl"/>.</summary>
    public static string UrlOf(string alertName, string baseUrl = DefaultBaseUrl) => $"{baseUrl.TrimEnd('/')}/{PathOf(alertName)}";
}
