using System.Xml.Linq;
using Infra.TestSupport;

namespace Infra.Architecture.Tests;

/// <summary>One project file: where it is, what projects and packages it references.</summary>
/// <param name="Path">Relative to the repository root, with '/'.</param>
/// <param name="ProjectReferences">The referenced projects, relative to the root, with '/'.</param>
/// <param name="PackageReferences">The referenced packages.</param>
internal sealed record ProjectFile(string Path, IReadOnlyList<string> ProjectReferences, IReadOnlyList<string> PackageReferences)
{
    /// <summary>Reads a project file's references, resolving project paths against its folder.</summary>
    public static ProjectFile Parse(string root, string relativePath, string xml)
    {
        var document = XDocument.Parse(xml);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.Combine(root, relativePath))!;
        IEnumerable<string> Includes(string item) =>
            document.Descendants(item).Select(static e => e.Attribute("Include")?.Value).OfType<string>();
        return new ProjectFile(
            relativePath,
            [.. Includes("ProjectReference").Select(p => Relative(root, System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, p.Replace('\\', '/')))))],
            [.. Includes("PackageReference")]);
    }

    private static string Relative(string root, string path) => System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');
}

/// <summary>The repository's project files.</summary>
internal static class ProjectFiles
{
    public static string Root => RepositoryPaths.Root;

    /// <summary>Every project file in the repository, except build output and installed tools.</summary>
    public static IReadOnlyList<ProjectFile> All { get; } = Load();

    private static List<ProjectFile> Load() =>
        [.. Directory.EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Select(static path => System.IO.Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .Where(static path => !path.Split('/').Any(static s => s is "bin" or "obj" or ".tools" or ".build" or "node_modules" or ".git"))
            .Order(StringComparer.Ordinal)
            .Select(static path => ProjectFile.Parse(Root, path, File.ReadAllText(System.IO.Path.Combine(Root, path))))];
}
