using Infra.Automation;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Helm;
using static Infra.Kubernetes.Tests.Support.Manifests;
using Infra.TestSupport;

namespace Infra.Kubernetes.Tests;

public class HelmRenderCacheTests
{
    [Fact]
    public async Task An_up_runs_helm_template_once_and_a_changed_chart_file_or_value_renders_again()
    {
        await using var project = await GitOpsProject.CreateAsync();
        // The real helm, behind a script that notes each command it is given.
        var chart = Path.Combine(project.Directory, "charts", "platform");
        CopyFolder(RepositoryTools.PlatformChart, chart);
        var calls = Path.Combine(project.Directory, "helm-calls.log");
        var helm = Path.Combine(project.Directory, "helm");
        await File.WriteAllTextAsync(helm, $"#!/bin/sh\necho \"$1\" >> '{calls}'\nexec '{RepositoryTools.Helm}' \"$@\"\n");
        Assert.Equal(0, (await RepositoryTools.RunAsync("chmod", project.Directory, "+x", helm)).ExitCode);
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.SetConfigAsync("helm:binary", helm);
        StackProgram Program(string displayName) => StackProgram.FromDelegate(ctx => _ = new HelmRelease("app", new HelmReleaseArgs
        {
            Name = "acme",
            Namespace = "tenant-acme",
            Chart = "charts/platform",
            Values = Map(("tenant", Map(("id", "acme"), ("displayName", displayName)))),
        }));
        int Templates() => File.ReadLines(calls).Count(static line => line == "template");

        await stack.UpAsync(new UpOptions { Program = Program("Acme") });
        Assert.Equal(1, Templates()); // the preview's render, reused when up applies that plan

        await stack.PreviewAsync(new PreviewOptions { Program = Program("Acme Corp") });
        Assert.Equal(2, Templates());

        await File.AppendAllTextAsync(Path.Combine(chart, "values.yaml"), "\n# a comment is a change of the chart too\n");
        await stack.PreviewAsync(new PreviewOptions { Program = Program("Acme Corp") });
        Assert.Equal(3, Templates());
    }

    [Fact]
    public async Task A_no_change_preview_in_a_new_process_reuses_the_recorded_render_until_the_files_are_edited_by_hand()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var (helm, templates) = await CountingHelmAsync(project);
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.SetConfigAsync("helm:binary", helm);
        var program = StackProgram.FromDelegate(ctx => _ = new HelmRelease("app", new HelmReleaseArgs
        {
            Name = "acme",
            Namespace = "tenant-acme",
            Chart = Path.GetRelativePath(project.Directory, RepositoryTools.PlatformChart),
            Values = Map(("tenant", Map(("id", "acme"), ("displayName", "Acme")))),
        }));
        await stack.UpAsync(new UpOptions { Program = program });
        Assert.Equal(1, templates());

        await using var later = await project.OpenAnotherWorkspaceAsync();
        var again = await later.SelectStackAsync("tenant-acme");
        var unchanged = await again.PreviewAsync(new PreviewOptions { Program = program });
        Assert.False(unchanged.HasChanges);
        Assert.Equal(1, templates()); // the manifests in state were rendered from the same chart, values and helm

        var deployment = Directory.EnumerateFiles(project.StackFolder("tenant-acme"), "deployment-*.yaml", SearchOption.AllDirectories).Single();
        var original = await File.ReadAllTextAsync(deployment);
        Assert.Contains("tenant: acme", original, StringComparison.Ordinal);
        await File.WriteAllTextAsync(deployment, original.Replace("tenant: acme", "tenant: edited-by-hand", StringComparison.Ordinal));
        await again.RefreshAsync(new RefreshOptions { Program = program });
        var drifted = await again.PreviewAsync(new PreviewOptions { Program = program });
        Assert.True(drifted.HasChanges, "a hand edit read back by refresh must show as a change to put back");
        Assert.Equal(2, templates()); // the edited files are not a render of anything, so the chart is rendered again
    }

    /// <summary>The real helm behind a script that counts its 'template' commands.</summary>
    private static async Task<(string Helm, Func<int> Templates)> CountingHelmAsync(GitOpsProject project)
    {
        var calls = Path.Combine(project.Directory, "helm-calls.log");
        var helm = Path.Combine(project.Directory, "helm");
        await File.WriteAllTextAsync(helm, $"#!/bin/sh\necho \"$1\" >> '{calls}'\nexec '{RepositoryTools.Helm}' \"$@\"\n");
        Assert.Equal(0, (await RepositoryTools.RunAsync("chmod", project.Directory, "+x", helm)).ExitCode);
        return (helm, () => File.Exists(calls) ? File.ReadLines(calls).Count(static line => line == "template") : 0);
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
