using Infra.Policies.Kubernetes;
using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Compliance.Data;

/// <summary>
/// Password-like inputs are secret values: any string input whose key ends with <c>password</c>, <c>passwd</c>,
/// <c>secret</c>, <c>token</c> or <c>connectionString</c> (any case, at any depth), any environment entry
/// <c>{ name, value }</c> whose name does, and every value in a Kubernetes Secret's <c>data</c> and <c>stringData</c>.
/// Keys in config <c>ignoreKeys</c> (by default <c>existingSecret</c>, which names a Secret rather than holding one) are skipped.
/// </summary>
/// <remarks>
/// Rationale: a value marked secret is encrypted in state and saved plans and masked in every output and log; a
/// plaintext password is written in clear to all of them, and to git in GitOps mode. Remediation marks the values
/// secret, which protects them from here on (rotate any credential that was already stored in plaintext).
/// </remarks>
public sealed class SecretInputs : RemediatingResourcePolicy
{
    private static readonly string[] s_suffixes = ["password", "passwd", "secret", "token", "connectionstring"];

    /// <inheritdoc/>
    public override string Name => "secret-inputs";

    /// <inheritdoc/>
    public override string Description => "Password-like inputs (password, secret, token, connectionString) are secret values, never plaintext.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .StringList("ignoreKeys", "Keys that look password-like but hold no credential (compared in any case).", defaultValue: ["existingSecret"]);

    /// <inheritdoc/>
    public override ResourceSelector Selector => ResourceSelector.All;

    /// <inheritdoc/>
    public override void Validate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var path in Plaintext(context))
        {
            context.Report($"input '{path}' looks like a credential but is plaintext; pass it as a secret (Output.CreateSecret, or config set --secret) " +
                           "so it is encrypted in state and masked in output.");
        }
    }

    /// <inheritdoc/>
    public override PropertyMap Remediate(ResourcePolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Plaintext(context).Aggregate(context.Inputs, static (inputs, path) => inputs.With(path, PropertyValue.Secret(path.Find(inputs)!)));
    }

    private static List<PropertyPath> Plaintext(ResourcePolicyContext context)
    {
        var ignored = context.Config.GetStringList("ignoreKeys").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var found = new List<PropertyPath>();
        foreach (var (key, value) in context.Inputs)
        {
            Walk(PropertyPath.Root.Append(key), key, value, ignored, found);
        }

        if (KubernetesObject.From(context.Resource) is { GroupKind: "Secret" })
        {
            foreach (var field in new[] { "data", "stringData" })
            {
                foreach (var (key, value) in context.Inputs.ObjectAt(field) ?? PropertyMap.Empty)
                {
                    var path = PropertyPath.Root.Append(field).Append(key);
                    if (IsPlaintext(value) && !found.Contains(path))
                    {
                        found.Add(path);
                    }
                }
            }
        }

        return found;
    }

    private static void Walk(PropertyPath path, string key, PropertyValue value, HashSet<string> ignored, List<PropertyPath> found)
    {
        if (ignored.Contains(key))
        {
            return;
        }

        switch (value.Kind)
        {
            case PropertyValueKind.String when IsPasswordLike(key) && IsPlaintext(value):
                found.Add(path);
                break;
            case PropertyValueKind.Object:
                var entry = value.AsObject;
                // An environment variable: { name: DB_PASSWORD, value: "..." }.
                if (entry.StringAt("name") is { } name && !ignored.Contains(name) && IsPasswordLike(name) && entry.GetValueOrDefault("value") is { } inner && IsPlaintext(inner))
                {
                    found.Add(path.Append("value"));
                }

                foreach (var (childKey, child) in entry)
                {
                    Walk(path.Append(childKey), childKey, child, ignored, found);
                }

                break;
            case PropertyValueKind.Array:
                for (var i = 0; i < value.AsArray.Length; i++)
                {
                    Walk(path.Append(i), key, value.AsArray[i], ignored, found);
                }

                break;
        }
    }

    private static bool IsPasswordLike(string key) =>
        s_suffixes.Any(suffix => key.Replace("_", string.Empty, StringComparison.Ordinal).EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    private static bool IsPlaintext(PropertyValue value) => value.Kind == PropertyValueKind.String && value.AsString.Length > 0;
}
