using System.Collections.Immutable;
using Infra.Providers.Kubernetes.Manifests;
using Infra.TestSupport;
using Infra.Values;

namespace Infra.Kubernetes.Tests.Support;

/// <summary>
/// Checks Argo Rollouts objects the way built-in objects are checked: each object against the models of the npm
/// package <c>@kubernetes-models/argo-rollouts</c> (generated from Argo's CRDs: types, required fields, enums; run
/// by <c>deploy/ci/lint/argo-validate.mjs</c>, installed by <c>scripts/install.sh</c>), and a Rollout's pod template
/// strictly against KubernetesClient's <c>PodTemplate</c> model, which refuses unknown fields.
/// </summary>
public static class ArgoRolloutsSchema
{
    private static readonly string s_lint = Path.Combine(RepositoryPaths.Root, "deploy", "ci", "lint");

    public static async Task AssertValidAsync(ImmutableArray<PropertyMap> objects)
    {
        Assert.True(Directory.Exists(Path.Combine(s_lint, "node_modules", "@kubernetes-models", "argo-rollouts")),
            "@kubernetes-models/argo-rollouts is not installed; run scripts/install.sh (npm ci in deploy/ci/lint).");
        var file = Path.Combine(Path.GetTempPath(), $"argo-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, PropertyJson.ToJson(PropertyValue.Create(objects.Select(static o => PropertyValue.Create(o))), PropertyJsonMode.Plaintext));
        try
        {
            var result = await RepositoryTools.RunAsync("node", s_lint, "argo-validate.mjs", file);
            Assert.True(result.ExitCode == 0, result.Output + result.Error);
        }
        finally
        {
            File.Delete(file);
        }

        foreach (var rollout in objects.Where(static o => o.GetString("kind") == "Rollout"))
        {
            var template = ObjectAssertions.Field(rollout, "spec.template");
            var podTemplate = PropertyMap.Create(new Dictionary<string, PropertyValue>
            {
                ["apiVersion"] = PropertyValue.Create("v1"),
                ["kind"] = PropertyValue.Create("PodTemplate"),
                ["metadata"] = PropertyValue.Create(PropertyMap.Create(new Dictionary<string, PropertyValue> { ["name"] = PropertyValue.Create(ObjectAssertions.NameOf(rollout)) })),
                ["template"] = template,
            });
            var problem = KubernetesSchema.Validate(podTemplate);
            Assert.True(problem is null, $"Rollout {ObjectAssertions.NameOf(rollout)}: spec.template: {problem?.Reason}");
        }
    }
}
