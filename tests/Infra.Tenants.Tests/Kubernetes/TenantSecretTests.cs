using Infra.Automation;
using Infra.Kubernetes.Tests.Support;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;
using static Infra.Kubernetes.Tests.Support.ObjectAssertions;

namespace Infra.Tenants.Tests.Kubernetes;

[Collection(PostgresCollection.Name)]
public class TenantSecretTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Database_credentials_reach_git_only_sealed_and_never_in_plaintext_in_the_tree_or_its_history()
    {
        using var keys = new SealedSecretsKeys();
        await using var workspace = await TenantWorkspace.OpenAsync(fixture.Server);
        var id = TenantProject.NewTenantId();
        var stack = await workspace.CreateTenantAsync(id, "standard", keys.CertificatePem);
        await stack.UpAsync(new UpOptions { Program = TenantWorkspace.Program });
        var outputs = await stack.GetOutputsAsync();
        var password = outputs["databasePassword"].SecretValue.AsString;
        var connectionString = outputs["connectionString"].SecretValue.AsString;
        var ns = $"tenant-{id}";

        // The app gets the credentials through the Secret the SealedSecret becomes, by name only.
        var folder = workspace.StackFolder(stack.Name);
        var objects = await KustomizeBuild.BuildAsync(folder);
        var sealedSecret = Single(objects, "SealedSecret");
        Assert.Equal("tenant-db", NameOf(sealedSecret));
        Assert.Equal(password, keys.Open(Field(sealedSecret, "spec.encryptedData.password").AsString, ns, "tenant-db"));
        Assert.Equal(connectionString, keys.Open(Field(sealedSecret, "spec.encryptedData.url").AsString, ns, "tenant-db"));
        var deployment = Single(objects, "Deployment");
        var references = Field(deployment, "spec.template.spec.containers[0].env").AsArray
            .Where(static e => e.AsObject.ContainsKey("valueFrom"))
            .Select(static e => Field(e.AsObject, "valueFrom.secretKeyRef.name").AsString)
            .Distinct();
        Assert.Equal(["tenant-db"], references);

        // More history: an update that touches the release, then the tenant's removal.
        await stack.SetConfigAsync("tenant:displayName", "Renamed Tenant");
        await stack.UpAsync(new UpOptions { Program = TenantWorkspace.Program });
        await stack.DestroyAsync(new DestroyOptions { Program = TenantWorkspace.Program });

        Assert.Equal(3, (await workspace.CommitSubjectsAsync()).Length);
        Assert.False(Directory.Exists(folder));
        await SecretScan.AssertNowhereAsync(workspace.Project.GitOpsPath, password, connectionString);
    }
}
