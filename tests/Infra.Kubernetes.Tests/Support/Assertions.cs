using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Kubernetes.Tests.Support;

public static class ObjectAssertions
{
    /// <summary>Reads a nested field by dotted path, with [n] for list items.</summary>
    public static PropertyValue Field(PropertyMap manifest, string path)
    {
        var value = PropertyValue.Create(manifest);
        foreach (var part in path.Split('.'))
        {
            var name = part;
            var index = -1;
            if (part.EndsWith(']'))
            {
                var open = part.IndexOf('[', StringComparison.Ordinal);
                index = int.Parse(part[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                name = part[..open];
            }

            value = value.AsObject[name];
            if (index >= 0)
            {
                value = value.AsArray[index];
            }
        }

        return value;
    }

    public static PropertyMap Single(IEnumerable<PropertyMap> objects, string kind) => Assert.Single(objects, o => o.GetString("kind") == kind);

    /// <summary>The Pod Security 'restricted' rules the platform chart promises.</summary>
    public static void AssertRestrictedPodSecurity(PropertyMap deployment)
    {
        var pod = Field(deployment, "spec.template.spec").AsObject;
        Assert.True(Field(pod, "securityContext.runAsNonRoot").AsBool);
        Assert.Equal("RuntimeDefault", Field(pod, "securityContext.seccompProfile.type").AsString);
        foreach (var container in pod["containers"].AsArray.Select(static c => c.AsObject))
        {
            Assert.False(Field(container, "securityContext.allowPrivilegeEscalation").AsBool);
            Assert.True(Field(container, "securityContext.readOnlyRootFilesystem").AsBool);
            Assert.True(Field(container, "securityContext.runAsNonRoot").AsBool);
            Assert.Equal(["ALL"], Field(container, "securityContext.capabilities.drop").AsArray.Select(static c => c.AsString));
            Assert.DoesNotContain(":latest", Field(container, "image").AsString, StringComparison.Ordinal);
            Assert.True(container.ContainsKey("startupProbe") && container.ContainsKey("readinessProbe") && container.ContainsKey("livenessProbe"));
            Assert.True(Field(container, "resources.requests").AsObject.ContainsKey("cpu") && Field(container, "resources.limits").AsObject.ContainsKey("memory"));
        }
    }

    public static string NameOf(PropertyMap manifest) => ManifestValues.Metadata(manifest)!.GetString("name")!;
}
