namespace Infra.Kubernetes.Tests.Support;

/// <summary>Manifests for tests, as nested dictionaries the way a program writes them.</summary>
public static class Manifests
{
    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(static e => e.Key, static e => e.Value, StringComparer.Ordinal);

    public static Dictionary<string, object?> NamespaceManifest(string name) => Map(
        ("apiVersion", "v1"),
        ("kind", "Namespace"),
        ("metadata", Map(("name", name), ("labels", Map(("pod-security.kubernetes.io/enforce", "restricted"))))));

    public static Dictionary<string, object?> ConfigMapManifest(string name, string ns, object? color) => Map(
        ("apiVersion", "v1"),
        ("kind", "ConfigMap"),
        ("metadata", Map(("name", name), ("namespace", ns))),
        ("data", Map(("primaryColor", color), ("enabled", "true"), ("mode", "0755"))));

    public static Dictionary<string, object?> DeploymentManifest(string name, string ns, int replicas) => Map(
        ("apiVersion", "apps/v1"),
        ("kind", "Deployment"),
        ("metadata", Map(("name", name), ("namespace", ns))),
        ("spec", Map(
            ("replicas", replicas),
            ("selector", Map(("matchLabels", Map(("app", name))))),
            ("template", Map(
                ("metadata", Map(("labels", Map(("app", name))))),
                ("spec", Map(("containers", new object[] { Map(("name", "app"), ("image", "ghcr.io/example/platform-app:1.8.3"), ("ports", new object[] { Map(("containerPort", 8080)) })) }))))))));
}
