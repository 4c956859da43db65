using Infra.Values;

namespace Infra.Providers.Kubernetes;

/// <summary>
/// Any Kubernetes object (type <c>kubernetes:index:Object</c>); its inputs are the object itself. Built-in kinds are
/// checked strictly against KubernetesClient's typed models (an unknown or mistyped field fails the preview); custom
/// resources pass through with their <c>apiVersion</c> and <c>kind</c>. In GitOps mode the object is the file
/// <c>&lt;gitopsPath&gt;/&lt;stack&gt;/&lt;namespace or _cluster&gt;/&lt;kind&gt;-&lt;name&gt;.yaml</c>, which is its ID;
/// in cluster mode its ID is <c>apiVersion:kind:namespace/name</c>.
/// </summary>
public sealed class KubernetesObject : CustomResource
{
    /// <summary>Declares an object.</summary>
    public KubernetesObject(string name, KubernetesObjectArgs args, CustomResourceOptions? options = null)
        : base(KubernetesProvider.ObjectType, name, (args ?? throw new ArgumentNullException(nameof(args))).ToInputs(), options)
    {
    }

    /// <summary>The object's <c>apiVersion</c>.</summary>
    public Output<string> ApiVersion => GetOutput<string>("apiVersion");

    /// <summary>The object's <c>kind</c>.</summary>
    public Output<string> Kind => GetOutput<string>("kind");

    /// <summary>The object's metadata; in cluster mode the live metadata (uid, resourceVersion...).</summary>
    public Output<PropertyValue> Metadata => GetOutput<PropertyValue>("metadata");

    /// <summary>The object's name.</summary>
    public Output<string> ObjectName => Metadata.Apply(static m => m.Unwrapped.AsObject.GetString("name") ?? string.Empty);

    /// <summary>The object's namespace; empty for cluster-scoped objects.</summary>
    public Output<string> Namespace => Metadata.Apply(static m => m.Unwrapped.AsObject.GetString("namespace") ?? string.Empty);
}
