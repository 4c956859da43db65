using Infra.Automation;
using Infra.Deployment;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Kubernetes;
using Infra.Providers.Kubernetes.Manifests;
using static Infra.Kubernetes.Tests.Support.Manifests;

namespace Infra.Kubernetes.Tests;

public class GitOpsObjectTests
{
    private static StackProgram Program(int replicas = 2, bool withConfigMap = true, string color = "#0055ff") =>
        StackProgram.FromDelegate(ctx =>
        {
            _ = new KubernetesObject("ns", new KubernetesObjectArgs { Manifest = NamespaceManifest("tenant-acme") });
            if (withConfigMap)
            {
                _ = new KubernetesObject("branding", new KubernetesObjectArgs { Manifest = ConfigMapManifest("branding", "tenant-acme", Output.Create(color)) });
            }

            _ = new KubernetesObject("web", new KubernetesObjectArgs { Manifest = DeploymentManifest("web", "tenant-acme", replicas) });
            _ = new KubernetesObject("monitor", new KubernetesObjectArgs
            {
                Manifest = Map(
                    ("apiVersion", "monitoring.coreos.com/v1"),
                    ("kind", "ServiceMonitor"),
                    ("metadata", Map(("name", "web"))),
                    ("spec", Map(("endpoints", new object[] { Map(("port", "http"), ("interval", "30s")) })))),
                Namespace = "tenant-acme",
            });
        });

    [Fact]
    public async Task Up_writes_each_object_to_its_path_with_a_sorted_kustomization_and_one_commit()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");

        var result = await stack.UpAsync(new UpOptions { Program = Program() });

        Assert.Equal(4, result.Summary[StepOp.Create]);
        var folder = project.StackFolder("tenant-acme");
        Assert.True(File.Exists(Path.Combine(folder, "_cluster", "namespace-tenant-acme.yaml")));
        Assert.True(File.Exists(Path.Combine(folder, "tenant-acme", "deployment-web.yaml")));
        Assert.True(File.Exists(Path.Combine(folder, "tenant-acme", "servicemonitor-web.yaml")));
        var kustomization = ManifestYaml.ReadOne(await File.ReadAllTextAsync(Path.Combine(folder, "kustomization.yaml")), "manifest");
        Assert.Equal(
            ["_cluster/namespace-tenant-acme.yaml", "tenant-acme/configmap-branding.yaml", "tenant-acme/deployment-web.yaml", "tenant-acme/servicemonitor-web.yaml"],
            kustomization["resources"].AsArray.Select(static v => v.AsString));
        var subjects = await project.CommitSubjectsAsync();
        Assert.Equal("infra: update stack 'tenant-acme' (4 resource change(s))", Assert.Single(subjects));
        Assert.Contains("5 file(s) added", await project.GitAsync("log", "-1", "--format=%b"));
    }

    [Fact]
    public async Task Kustomize_builds_the_stack_folder_and_every_built_in_object_is_strictly_valid()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program() });

        var objects = await KustomizeBuild.BuildAsync(project.StackFolder("tenant-acme"));

        Assert.Equal(4, objects.Length);
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);
        var configMap = objects.Single(o => o.GetString("kind") == "ConfigMap");
        // Strings that look like booleans or octal numbers survive the round trip as strings.
        Assert.Equal("true", configMap["data"].AsObject.GetString("enabled"));
        Assert.Equal("0755", configMap["data"].AsObject.GetString("mode"));
        Assert.Equal(2, objects.Single(o => o.GetString("kind") == "Deployment")["spec"].AsObject["replicas"].AsNumber);
    }

    [Fact]
    public async Task Second_up_with_no_change_makes_no_commit()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program() });

        var second = await stack.UpAsync(new UpOptions { Program = Program() });

        Assert.Equal(0, second.Summary.Changes);
        Assert.Single(await project.CommitSubjectsAsync());
    }

    [Fact]
    public async Task Deleting_a_resource_removes_its_file_and_kustomization_entry_in_the_next_commit()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program() });

        var result = await stack.UpAsync(new UpOptions { Program = Program(withConfigMap: false) });

        Assert.Equal(1, result.Summary[StepOp.Delete]);
        var folder = project.StackFolder("tenant-acme");
        Assert.False(File.Exists(Path.Combine(folder, "tenant-acme", "configmap-branding.yaml")));
        Assert.DoesNotContain("configmap-branding", await File.ReadAllTextAsync(Path.Combine(folder, "kustomization.yaml")));
        Assert.Equal("infra: update stack 'tenant-acme' (1 resource change(s))", (await project.CommitSubjectsAsync())[0]);
        Assert.Contains("1 removed", await project.GitAsync("log", "-1", "--format=%b"));
        Assert.Equal(3, (await KustomizeBuild.BuildAsync(folder)).Length);
    }

    [Fact]
    public async Task Hand_edit_shows_as_drift_on_refresh_and_the_next_up_restores_the_declared_object()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program() });
        var path = Path.Combine(project.StackFolder("tenant-acme"), "tenant-acme", "deployment-web.yaml");
        var declared = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, declared.Replace("replicas: 2", "replicas: 5", StringComparison.Ordinal));

        var refresh = await stack.RefreshAsync();

        var drift = Assert.Single(refresh.Steps, s => s.Reason == "drift");
        Assert.Contains("spec.replicas", drift.Changed);
        var up = await stack.UpAsync(new UpOptions { Program = Program() });
        Assert.Equal(1, up.Summary[StepOp.Update]);
        Assert.Equal(declared, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Same_program_writes_byte_identical_files()
    {
        await using var first = await GitOpsProject.CreateAsync();
        await using var second = await GitOpsProject.CreateAsync();
        await (await first.CreateStackAsync("tenant-acme")).UpAsync(new UpOptions { Program = Program() });
        await (await second.CreateStackAsync("tenant-acme")).UpAsync(new UpOptions { Program = Program() });

        var a = first.Snapshot("tenant-acme");
        var b = second.Snapshot("tenant-acme");

        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (file, content) in a)
        {
            Assert.Equal(content, b[file]);
        }
    }

    [Fact]
    public async Task Destroy_removes_the_stack_folder_in_one_more_commit()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program() });

        await stack.DestroyAsync();

        Assert.False(Directory.Exists(project.StackFolder("tenant-acme")));
        var subjects = await project.CommitSubjectsAsync();
        Assert.Equal(["infra: destroy stack 'tenant-acme' (4 resource change(s))", "infra: update stack 'tenant-acme' (4 resource change(s))"], subjects);
        Assert.Empty(await project.GitAsync("ls-files", "--", "tenant-acme"));
    }

    [Fact]
    public async Task Create_adopts_a_file_with_the_declared_object_and_refuses_one_that_differs()
    {
        await using var reference = await GitOpsProject.CreateAsync();
        await (await reference.CreateStackAsync("tenant-acme")).UpAsync(new UpOptions { Program = Program() });
        var relative = Path.Combine("tenant-acme", "deployment-web.yaml");
        var declared = await File.ReadAllTextAsync(Path.Combine(reference.StackFolder("tenant-acme"), relative));

        // A crash after the write: the file is there, state does not know it. The create adopts it.
        await using var adopting = await GitOpsProject.CreateAsync();
        var path = Path.Combine(adopting.StackFolder("tenant-acme"), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, declared);
        var adopted = await (await adopting.CreateStackAsync("tenant-acme")).UpAsync(new UpOptions { Program = Program() });
        Assert.Equal(4, adopted.Summary[StepOp.Create]);
        Assert.Equal(declared, await File.ReadAllTextAsync(path));

        // Someone else's object at the same path is a conflict, and the file is left alone.
        await using var conflicting = await GitOpsProject.CreateAsync();
        var other = Path.Combine(conflicting.StackFolder("tenant-acme"), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        var foreign = declared.Replace("replicas: 2", "replicas: 9", StringComparison.Ordinal);
        await File.WriteAllTextAsync(other, foreign);
        var error = await Assert.ThrowsAsync<UpdateFailedException>(async () =>
            await (await conflicting.CreateStackAsync("tenant-acme")).UpAsync(new UpOptions { Program = Program() }));
        Assert.Contains("already exists in the GitOps tree with different content", error.Message);
        Assert.Equal(foreign, await File.ReadAllTextAsync(other));
    }

    [Fact]
    public async Task Unknown_field_in_a_built_in_kind_fails_the_preview_naming_the_field()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        var manifest = DeploymentManifest("web", "tenant-acme", 2);
        ((Dictionary<string, object?>)manifest["spec"]!)["replica"] = 3;

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => stack.PreviewAsync(new PreviewOptions
        {
            Program = StackProgram.FromDelegate(ctx => _ = new KubernetesObject("web", new KubernetesObjectArgs { Manifest = manifest })),
        }));

        Assert.Contains("replica", error.Message);
        Assert.False(Directory.Exists(project.GitOpsPath));
    }

    [Fact]
    public async Task Secret_input_in_an_object_is_refused_in_gitops_mode()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => stack.UpAsync(new UpOptions
        {
            Program = StackProgram.FromDelegate(ctx =>
                _ = new KubernetesObject("cm", new KubernetesObjectArgs { Manifest = ConfigMapManifest("cm", "tenant-acme", Output.CreateSecret("hunter2")) })),
        }));

        Assert.Contains("never writes secrets to git in plaintext", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.False(Directory.Exists(project.StackFolder("tenant-acme")));
    }

    [Fact]
    public async Task Stacks_updating_in_parallel_share_commits_and_each_commit_takes_only_the_folders_it_names()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var names = Enumerable.Range(1, 8).Select(static i => $"tenant-{i}").ToArray();
        var stacks = new List<WorkspaceStack>();
        foreach (var name in names)
        {
            stacks.Add(await project.CreateStackAsync(name));
        }

        await Task.WhenAll(stacks.Select(stack => stack.UpAsync(new UpOptions { Program = Program() })));

        var commits = (await project.GitAsync("log", "--format=%H")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(commits.Length < names.Length, $"{names.Length} stacks finishing together made {commits.Length} commits; group commit should share them");
        var committed = new List<string>();
        foreach (var commit in commits)
        {
            var message = await project.GitAsync("log", "-1", "--format=%B", commit);
            var files = (await project.GitAsync("show", "--name-only", "--format=", commit)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var folders = files.Select(static file => file.Split('/')[0]).Distinct().ToList();
            Assert.All(folders, folder => Assert.Contains($"stack '{folder}'", message, StringComparison.Ordinal));
            Assert.All(folders, folder => Assert.Equal(5, files.Count(file => file.StartsWith(folder + "/", StringComparison.Ordinal))));
            committed.AddRange(folders);
        }

        Assert.Equal(names.Order(), committed.Order());
        Assert.Empty((await project.GitAsync("status", "--porcelain")).Trim());
    }

    [Fact]
    public async Task A_file_someone_staged_by_hand_stays_out_of_the_stacks_commit()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");
        await stack.UpAsync(new UpOptions { Program = Program() });
        await File.WriteAllTextAsync(Path.Combine(project.GitOpsPath, "NOTES.md"), "staged by hand\n");
        await project.GitAsync("add", "NOTES.md");

        await stack.UpAsync(new UpOptions { Program = Program(replicas: 3) });

        var files = (await project.GitAsync("show", "--name-only", "--format=", "HEAD")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["tenant-acme/tenant-acme/deployment-web.yaml"], files);
        Assert.Equal("A  NOTES.md", (await project.GitAsync("status", "--porcelain")).Trim());
    }
}
