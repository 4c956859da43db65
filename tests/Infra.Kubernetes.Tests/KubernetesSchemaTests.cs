using Infra.Providers.Kubernetes.Manifests;
using Infra.Values;

namespace Infra.Kubernetes.Tests;

/// <summary>The strict check of a built-in object against its typed model, and the verdicts it keeps.</summary>
public class KubernetesSchemaTests
{
    private static PropertyMap ConfigMap(string name, PropertyValue data) => PropertyMap.CreateBuilder()
        .Add("apiVersion", PropertyValue.Create("v1"))
        .Add("kind", PropertyValue.Create("ConfigMap"))
        .Add("metadata", PropertyValue.Create(PropertyMap.CreateBuilder()
            .Add("name", PropertyValue.Create(name))
            .Add("namespace", PropertyValue.Create("tenant-schema"))
            .ToPropertyMap()))
        .Add("data", data)
        .ToPropertyMap();

    private static PropertyValue Data(PropertyValue value) =>
        PropertyValue.Create(PropertyMap.CreateBuilder().Add("color", value).ToPropertyMap());

    [Fact]
    public void A_manifest_checked_again_gets_the_same_verdict_from_the_kept_one()
    {
        var name = $"wrong-{Guid.NewGuid():N}";
        var wrong = ConfigMap(name, PropertyValue.Create(42));

        var first = KubernetesSchema.Validate(wrong);
        Assert.True(KubernetesSchema.IsKept(ConfigMap(name, PropertyValue.Create(42))));
        var again = KubernetesSchema.Validate(ConfigMap(name, PropertyValue.Create(42)));

        Assert.NotNull(first);
        Assert.Equal("data", first.Value.Path);
        Assert.Contains("does not fit the v1 ConfigMap schema", first.Value.Reason, StringComparison.Ordinal);
        Assert.Equal(first, again);
        var right = ConfigMap($"right-{Guid.NewGuid():N}", Data(PropertyValue.Create("blue")));
        Assert.Null(KubernetesSchema.Validate(right));
        Assert.True(KubernetesSchema.IsKept(right));
        Assert.Null(KubernetesSchema.Validate(right));
    }

    [Fact]
    public void A_manifest_holding_a_secret_is_checked_but_its_verdict_is_not_kept()
    {
        var secret = ConfigMap($"secret-{Guid.NewGuid():N}", Data(PropertyValue.Secret(PropertyValue.Create("s3cr3t"))));
        var wrong = ConfigMap($"secret-{Guid.NewGuid():N}", PropertyValue.Secret(PropertyValue.Create(42)));

        Assert.Null(KubernetesSchema.Validate(secret));
        Assert.NotNull(KubernetesSchema.Validate(wrong));
        Assert.False(KubernetesSchema.IsKept(secret));
        Assert.False(KubernetesSchema.IsKept(wrong));
    }

    [Fact]
    public void The_kept_verdicts_are_bounded_and_the_oldest_go_first()
    {
        var oldest = ConfigMap($"oldest-{Guid.NewGuid():N}", Data(PropertyValue.Create("blue")));
        Assert.Null(KubernetesSchema.Validate(oldest));
        Assert.True(KubernetesSchema.IsKept(oldest));

        for (var i = 0; i < KubernetesSchema.VerdictCapacity; i++)
        {
            Assert.Null(KubernetesSchema.Validate(ConfigMap($"filler-{i}-{Guid.NewGuid():N}", Data(PropertyValue.Create("blue")))));
        }

        Assert.False(KubernetesSchema.IsKept(oldest));
        Assert.Null(KubernetesSchema.Validate(oldest));
    }
}
