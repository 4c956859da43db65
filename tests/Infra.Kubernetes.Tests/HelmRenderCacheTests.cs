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
