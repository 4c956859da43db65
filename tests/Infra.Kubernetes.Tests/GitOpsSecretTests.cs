using Infra.Automation;
using Infra.Deployment;
using Infra.Kubernetes.Tests.Support;
using Infra.Providers.Kubernetes;
using Infra.Providers.Kubernetes.Manifests;
using static Infra.Kubernetes.Tests.Support.Manifests;

namespace Infra.Kubernetes.Tests;

public sealed class GitOpsSecretTests : IDisposable
{
    private const string SecretPath = "tenant-acme/sealedsecret-tenant-db.yaml";
    private readonly SealedSecretsKeys _keys = new();

    public void Dispose() => _keys.Dispose();

    private static StackProgram Program(string password, string username = "acme_app") => StackProgram.FromDelegate(ctx =>
    {
        var secret = new KubernetesSecret("tenant-db", new KubernetesSecretArgs
        {
            Name = "tenant-db",
            Namespace = "tenant-acme",
            StringData = new InputMap<string>
            {
                ["username"] = username,
                ["password"] = Output.CreateSecret(password),
                ["host"] = "db.internal",
            },
        });
        var deployment = DeploymentManifest("web", "tenant-acme", 1);
        _ = new KubernetesObject("web", new KubernetesObjectArgs { Manifest = deployment });
        ctx.Export("secretName", secret.SecretName);
    });

    [Fact]
    public async Task Secret_values_are_sealed_for_the_cluster_and_never_written_to_git_in_plaintext()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme", _keys.CertificatePem);
        var password = $"pw-{Guid.NewGuid():N}";
        var username = $"user-{Guid.NewGuid():N}";

        await stack.UpAsync(new UpOptions { Program = Program(password, username) });

        await SecretScan.AssertNowhereAsync(project.GitOpsPath, password, username);
        var sealedSecret = ManifestYaml.ReadOne(await File.ReadAllTextAsync(Path.Combine(project.StackFolder("tenant-acme"), SecretPath)), "manifest");
        Assert.Equal("SealedSecret", sealedSecret.GetString("kind"));
        var encrypted = sealedSecret["spec"].AsObject["encryptedData"].AsObject;
        // Only the controller's private key opens the values, and only under this namespace and name.
        Assert.Equal(password, _keys.Open(encrypted.GetString("password")!, "tenant-acme", "tenant-db"));
        Assert.Equal(username, _keys.Open(encrypted.GetString("username")!, "tenant-acme", "tenant-db"));
        Assert.ThrowsAny<Exception>(() => _keys.Open(encrypted.GetString("password")!, "tenant-other", "tenant-db"));
        var objects = await KustomizeBuild.BuildAsync(project.StackFolder("tenant-acme"));
        Assert.Contains(objects, o => o.GetString("kind") == "SealedSecret");
        KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);
    }

    [Fact]
    public async Task Secret_is_sealed_again_only_when_a_value_changes()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme", _keys.CertificatePem);
        var path = Path.Combine(project.StackFolder("tenant-acme"), SecretPath);
        await stack.UpAsync(new UpOptions { Program = Program("first-password") });
        var sealedOnce = await File.ReadAllTextAsync(path);

        var same = await stack.UpAsync(new UpOptions { Program = Program("first-password") });
        Assert.Equal(0, same.Summary.Changes);
        Assert.Equal(sealedOnce, await File.ReadAllTextAsync(path));

        var rotated = await stack.UpAsync(new UpOptions { Program = Program("second-password") });
        Assert.Equal(1, rotated.Summary[StepOp.Update]);
        var encrypted = ManifestYaml.ReadOne(await File.ReadAllTextAsync(path), "manifest")["spec"].AsObject["encryptedData"].AsObject;
        Assert.Equal("second-password", _keys.Open(encrypted.GetString("password")!, "tenant-acme", "tenant-db"));
        Assert.Equal(2, (await project.CommitSubjectsAsync()).Length);
        await SecretScan.AssertNowhereAsync(project.GitOpsPath, "first-password", "second-password");
    }

    [Fact]
    public async Task Hand_edited_sealed_secret_shows_as_drift_and_the_next_up_seals_it_again()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme", _keys.CertificatePem);
        var path = Path.Combine(project.StackFolder("tenant-acme"), SecretPath);
        await stack.UpAsync(new UpOptions { Program = Program("the-password") });
        var text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, text.Replace("type: Opaque", "type: kubernetes.io/basic-auth", StringComparison.Ordinal));

        var refresh = await stack.RefreshAsync();
        Assert.Contains(refresh.Steps, s => s.Reason == "drift" && s.Changed.Contains("outputs.inSync"));

        var up = await stack.UpAsync(new UpOptions { Program = Program("the-password") });
        Assert.Equal(1, up.Summary[StepOp.Update]);
        var resealed = ManifestYaml.ReadOne(await File.ReadAllTextAsync(path), "manifest");
        Assert.Equal("Opaque", resealed["spec"].AsObject["template"].AsObject.GetString("type"));
        Assert.Equal("the-password", _keys.Open(resealed["spec"].AsObject["encryptedData"].AsObject.GetString("password")!, "tenant-acme", "tenant-db"));
    }

    [Fact]
    public async Task Secret_without_a_sealing_certificate_fails_naming_the_config_key()
    {
        await using var project = await GitOpsProject.CreateAsync();
        var stack = await project.CreateStackAsync("tenant-acme");

        var error = await Assert.ThrowsAsync<UpdateFailedException>(() => stack.PreviewAsync(new PreviewOptions { Program = Program("pw") }));

        Assert.Contains("kubernetes:sealedSecretsCert", error.Message);
    }
}
