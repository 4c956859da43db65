using Infra.TestSupport;

namespace Infra.Docs.Tests.Site;

[Collection(DocsSiteCollection.Name)]
public sealed class SiteBuildTests(DocsSite site)
{
    [Fact]
    public void The_site_builds_with_warnings_as_errors_into_artifacts_docs_with_the_api_reference_under_api()
    {
        site.EnsureBuilt();
        Assert.True(File.Exists(Path.Combine(DocsSite.OutputDirectory, "index.html")));
        Assert.True(File.Exists(Path.Combine(DocsSite.OutputDirectory, "api", "Infra.Resource.html")));
        Assert.True(File.Exists(Path.Combine(DocsSite.OutputDirectory, "api", "Infra.Testing.StackTest.html")));
        Assert.True(File.Exists(Path.Combine(DocsSite.OutputDirectory, "tutorials", "01-first-stack.html")));
    }

    [Fact]
    public void Every_page_under_docs_is_in_the_site()
    {
        site.EnsureBuilt();
        var docs = Path.Combine(RepositoryPaths.Root, "docs");
        var missing = Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(docs, path))
            .Where(page => !File.Exists(Path.Combine(DocsSite.OutputDirectory, Path.ChangeExtension(page, ".html"))))
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task A_broken_link_fails_a_docfx_build_with_warnings_as_errors_and_names_the_missing_page()
    {
        var folder = Directory.CreateTempSubdirectory("infra-docs-broken-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "docfx.json"), """
                { "build": { "content": [ { "files": [ "*.md" ] } ], "output": "_site", "template": [ "default" ] } }
                """);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "index.md"), "# Home\n\nSee [the missing page](missing-page.md).\n");

            var result = await Commands.RunAsync(RepositoryPaths.Root, "dotnet",
                ["tool", "run", "docfx", "build", Path.Combine(folder.FullName, "docfx.json"), "--warningsAsErrors"]);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("missing-page.md", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
