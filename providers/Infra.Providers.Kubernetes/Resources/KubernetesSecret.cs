namespace Infra.Providers.Kubernetes;

/// <summary>Args for <see cref="KubernetesSecret"/>.</summary>
public sealed record KubernetesSecretArgs
{
    /// <summary>The Secret's name.</summary>
    public required Input<string> Name { get; init; }

    /// <summary>The Secret's namespace; default config <c>kubernetes:namespace</c>, or <c>default</c>.</summary>
    public Input<string>? Namespace { get; init; }

    /// <summary>The Secret's type; default <c>Opaque</c>.</summary>
    public Input<string>? Type { get; init; }

    /// <summary>Labels on the Secret.</summary>
    public InputMap<string>? Labels { get; init; }

    /// <summary>Annotations on the Secret.</summary>
    public InputMap<string>? Annotations { get; init; }

    /// <summary>The values, by key. They are secrets in state and plans whether or not the program marked them.</summary>
    public required InputMap<string> StringData { get; init; }
}

/// <summary>
/// A Kubernetes Secret whose values never reach git in plaintext (type <c>kubernetes:index:Secret</c>). In GitOps mode
/// it is written as a Bitnami <c>SealedSecret</c>: each value encrypted with the certificate of the cluster's Sealed
/// Secrets controller (config <c>kubernetes:sealedSecretsCert</c>), which alone can decrypt it and creates the Secret in
/// the cluster. The values are sealed again only when they change. In cluster mode the Secret is applied directly.
/// </summary>
public sealed class KubernetesSecret : CustomResource
{
    /// <summary>Declares a secret.</summary>
    public KubernetesSecret(string name, KubernetesSecretArgs args, CustomResourceOptions? options = null)
        : base(KubernetesProvider.SecretType, name, ToInputs(args), options)
    {
    }

    /// <summary>The Secret's name, for <c>secretKeyRef</c>s and charts' <c>existingSecret</c> values.</summary>
    public Output<string> SecretName => GetOutput<Values.PropertyValue>("metadata").Apply(static m => m.Unwrapped.AsObject.GetString("name") ?? string.Empty);

    /// <summary>False after a refresh found the sealed (or live) secret changed outside infra; the next up rewrites it.</summary>
    public Output<bool> InSync => GetOutput<bool>(KubernetesProvider.InSyncOutput);

    private static Dictionary<string, object?> ToInputs(KubernetesSecretArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = args.Name };
        if (args.Namespace is not null)
        {
            metadata["namespace"] = args.Namespace;
        }

        if (args.Labels is not null)
        {
            metadata["labels"] = args.Labels;
        }

        if (args.Annotations is not null)
        {
            metadata["annotations"] = args.Annotations;
        }

        var inputs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["metadata"] = metadata, ["stringData"] = args.StringData };
        if (args.Type is not null)
        {
            inputs["type"] = args.Type;
        }

        return inputs;
    }
}
