using Infra.Automation;
using Infra.Kubernetes.Tests.Support;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Kubernetes;

/// <summary>
/// The GitOps folder of a reference tenant, Globex, on each plan: built by the real kubectl kustomize (1.34), every
/// built-in object strictly valid against KubernetesClient's models (enterprise's Argo Rollouts objects against
/// @kubernetes-models/argo-rollouts, see <see cref="ArgoRolloutsSchema"/>; the Velero Schedule against Velero's CRD), and byte for byte the checked-in files under
/// <c>Kubernetes/expected/&lt;plan&gt;/</c> (see <see cref="ManifestSnapshot"/>; <c>INFRA_UPDATE_SNAPSHOTS=1</c> rewrites them).
/// Comparing two plans' folders shows exactly what a plan changes.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TenantManifestSnapshotTests(PostgresFixture fixture)
{
    private const string Tenant = "globex";

    public static TheoryData<string> Plans => new() { "free", "standard", "enterprise" };

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task Reference_tenant_folder_builds_with_kustomize_is_strictly_valid_and_matches_the_expected_files(string plan)
    {
        await Sql.DropTenantAsync(fixture.Server, Tenant);
        await using var workspace = await TenantWorkspace.OpenAsync(fixture.Server);
        try
        {
            var stack = await workspace.CreateTenantAsync(Tenant, plan, extra:
            [
                ("tenant:displayName", "Globex Corporation"),
                ("tenant:adminGroup", "globex-platform-admins"),
                ("tenant:branding", """{"primaryColor":"#7b2cbf","secondaryColor":"#10002b","logoUrl":"https://assets.globex.example/logo.svg","customDomain":"portal.globex.example"}"""),
            ]);

            await stack.UpAsync(new UpOptions { Program = TenantWorkspace.Program });

            var folder = workspace.StackFolder($"tenant-{Tenant}");
            var objects = await KustomizeBuild.BuildAsync(folder);
            KustomizeBuild.AssertBuiltInsAreStrictlyValid(objects);
            await ArgoRolloutsSchema.AssertValidAsync(objects);
            // The other custom resources (the sealed credentials, the Velero Schedule) against their models or CRD schemas, strictly.
            Assert.True(await CustomResourceSchemas.AssertValidAsync(objects.Where(static o => o.GetString("apiVersion") != "argoproj.io/v1alpha1")) >= 2);
            // Every object declared goes into the build: nothing written is left out of kustomization.yaml.
            Assert.Equal(Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories).Count() - 1, objects.Length);
            ManifestSnapshot.AssertMatches(plan, ManifestSnapshot.Read(folder));
        }
        finally
        {
            await Sql.DropTenantAsync(fixture.Server, Tenant);
        }
    }
}
