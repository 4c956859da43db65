using Infra.Automation;
using Infra.Kubernetes.Tests.Support;
using Infra.Tenants.Tests.Support;
using Infra.TestSupport;

namespace Infra.Tenants.Tests.Kubernetes;

/// <summary>
/// <c>tenant:releaseStrategy</c> overrides the plan's strategy: a standard tenant released blue-green gets a Rollout
/// that promotes itself once its analysis passes (standard is not a production plan) and no production label.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TenantReleaseStrategyTests(PostgresFixture fixture)
{
    private const string Tenant = "initech";

    [Fact]
    public async Task A_standard_tenant_set_to_blue_green_gets_a_self_promoting_rollout_without_the_production_label()
    {
        await Sql.DropTenantAsync(fixture.Server, Tenant);
        await using var workspace = await TenantWorkspace.OpenAsync(fixture.Server);
        try
        {
            var stack = await workspace.CreateTenantAsync(Tenant, "standard", extra: [("tenant:releaseStrategy", "blueGreen")]);

            await stack.UpAsync(new UpOptions { Program = TenantWorkspace.Program });

            var folder = workspace.StackFolder($"tenant-{Tenant}");
            var objects = await KustomizeBuild.BuildAsync(folder);
            Assert.DoesNotContain(objects, static o => o.GetString("kind") == "Deployment");
            var rollout = ObjectAssertions.Single(objects, "Rollout");
            Assert.True(ObjectAssertions.Field(rollout, "spec.strategy.blueGreen.autoPromotionEnabled").AsBool);
            Assert.False(ObjectAssertions.Field(rollout, "metadata.labels").AsObject.ContainsKey("infra.dev/production"));
            await ArgoRolloutsSchema.AssertValidAsync(objects);
        }
        finally
        {
            await Sql.DropTenantAsync(fixture.Server, Tenant);
        }
    }
}
