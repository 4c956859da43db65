namespace Infra.Stacks.Kinds.Platform.Values;

/// <summary>The ECK operator, managing Elasticsearch and Kibana in the logging namespace only.</summary>
internal sealed record EckOperatorValues(IReadOnlyList<string> ManagedNamespaces, EckOperatorConfig Config);

/// <summary>The operator's own settings.</summary>
internal sealed record EckOperatorConfig(int MetricsPort);

/// <summary>
/// Fluent Bit as a DaemonSet: its pipeline (<see cref="FluentBitConfig"/>), the Lua script that assigns each record to
/// its tenant's data stream, and the Elasticsearch credentials and CA it ships with.
/// </summary>
internal sealed record FluentBitValues(
    FluentBitConfig Config,
    Dictionary<string, string> LuaScripts,
    IReadOnlyList<EnvVar> Env,
    IReadOnlyList<Dictionary<string, object>> ExtraVolumes,
    IReadOnlyList<VolumeMount> ExtraVolumeMounts,
    ServiceMonitorValues ServiceMonitor);

/// <summary>Fluent Bit's configuration sections, as the chart takes them (classic format).</summary>
internal sealed record FluentBitConfig(string Service, string Inputs, string Filters, string Outputs);

/// <summary>An environment variable read from a Secret.</summary>
internal sealed record EnvVar(string Name, Dictionary<string, object> ValueFrom);

/// <summary>A volume mount.</summary>
internal sealed record VolumeMount(string Name, string MountPath, bool ReadOnly);
