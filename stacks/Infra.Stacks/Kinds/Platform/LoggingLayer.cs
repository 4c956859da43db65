using System.Security.Cryptography;
using System.Text;
using Infra.Observability.Components;
using Infra.Providers.Kubernetes;
using Infra.Stacks.Kinds.Platform.Values;
using Infra.Tenancy;
using static Infra.Stacks.Kinds.Platform.PlatformObjects;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// Logs with the ELK stack: the ECK operator, an <c>Elasticsearch</c> and a <c>Kibana</c>, the setup Job that loads
/// <see cref="ElasticsearchSetup"/> (ILM policies per plan, index templates per tenant, the routing pipeline), and
/// Fluent Bit shipping every container's log. A tenant's logs land in its own data stream, <c>logs-tenant-&lt;id&gt;</c>.
/// </summary>
internal static class LoggingLayer
{
    /// <summary>The Elasticsearch (and Kibana) resource's name; ECK names its Services and Secrets after it.</summary>
    public const string Cluster = "logs";

    /// <summary>The Elasticsearch version when the chart pins none.</summary>
    public const string DefaultStackVersion = "8.17.2";

    private const string SetupImage = "curlimages/curl:8.12.1";

    /// <summary>The Elasticsearch HTTP endpoint inside the cluster.</summary>
    public static string Endpoint => $"https://{Cluster}-es-http.{PlatformNamespaces.Logging}.svc:9200";

    /// <summary>Declares the logging layer.</summary>
    public static void Declare(PlatformSettings settings, PlatformReleases releases, KubernetesObject loggingNamespace)
    {
        var ns = PlatformNamespaces.Logging;
        var version = releases.Pin("eck-operator").AppVersion ?? DefaultStackVersion;
        var operatorRelease = releases.Declare("eck-operator", new EckOperatorValues([ns], new EckOperatorConfig(MetricsPort: 0)));
        var afterOperator = new CustomResourceOptions { DependsOn = [loggingNamespace, operatorRelease] };

        var elasticsearch = DeclareObject("elasticsearch", Manifest("elasticsearch.k8s.elastic.co/v1", "Elasticsearch", Cluster, ns, null,
            ("spec", Map(
                ("version", version),
                ("nodeSets", new object[]
                {
                    Map(
                        ("name", "default"),
                        ("count", 3),
                        ("config", Map(("node.store.allow_mmap", false))),
                        ("podTemplate", Map(("spec", Map(("containers", new object[]
                        {
                            Map(("name", "elasticsearch"), ("resources", Map(
                                ("requests", Map(("cpu", "1"), ("memory", "4Gi"))),
                                ("limits", Map(("memory", "4Gi")))))),
                        }))))),
                        ("volumeClaimTemplates", new object[]
                        {
                            Map(
                                ("metadata", Map(("name", "elasticsearch-data"))),
                                ("spec", Map(("accessModes", new object[] { "ReadWriteOnce" }), ("resources", Map(("requests", Map(("storage", "100Gi")))))))),
                        })),
                })))), afterOperator);

        DeclareObject("kibana", Manifest("kibana.k8s.elastic.co/v1", "Kibana", Cluster, ns, null,
            ("spec", Map(("version", version), ("count", 1), ("elasticsearchRef", Map(("name", Cluster)))))), afterOperator with { DependsOn = [operatorRelease, elasticsearch] });

        var setup = ElasticsearchSetup.Files(settings);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', setup.Select(static f => f.Key + "\0" + f.Value)))))[..10];
        var files = DeclareObject("elasticsearch-setup-files", Manifest("v1", "ConfigMap", $"elasticsearch-setup-{digest}", ns, null,
            ("data", setup.ToDictionary(static f => f.Key, static f => (object?)f.Value, StringComparer.Ordinal))), new CustomResourceOptions { DependsOn = [loggingNamespace] });
        // A Job's pod template cannot change, so a new setup is a new Job, named after what it loads.
        DeclareObject("elasticsearch-setup", SetupJob($"elasticsearch-setup-{digest}", $"elasticsearch-setup-{digest}"), new CustomResourceOptions { DependsOn = [elasticsearch, files] });

        releases.Declare("fluent-bit", FluentBit.Values(), elasticsearch);
    }

    private static Dictionary<string, object?> SetupJob(string name, string configMap)
    {
        var restricted = Map(
            ("allowPrivilegeEscalation", false),
            ("readOnlyRootFilesystem", true),
            ("runAsNonRoot", true),
            ("capabilities", Map(("drop", new object[] { "ALL" }))));
        return Manifest("batch/v1", "Job", name, PlatformNamespaces.Logging, null,
            ("spec", Map(
                ("backoffLimit", 20),
                ("ttlSecondsAfterFinished", 86400),
                ("template", Map(("spec", Map(
                    ("restartPolicy", "OnFailure"),
                    ("automountServiceAccountToken", false),
                    ("securityContext", Map(("runAsNonRoot", true), ("runAsUser", 100), ("seccompProfile", Map(("type", "RuntimeDefault"))))),
                    ("containers", new object[]
                    {
                        Map(
                            ("name", "setup"),
                            ("image", SetupImage),
                            ("command", new object[] { "/bin/sh", $"/setup/{ElasticsearchSetup.Script}" }),
                            ("env", new object[]
                            {
                                Map(("name", "ES_URL"), ("value", Endpoint)),
                                Map(("name", "ES_PASSWORD"), ("valueFrom", Map(("secretKeyRef", Map(("name", $"{Cluster}-es-elastic-user"), ("key", "elastic")))))),
                            }),
                            ("volumeMounts", new object[]
                            {
                                Map(("name", "setup"), ("mountPath", "/setup"), ("readOnly", true)),
                                Map(("name", "ca"), ("mountPath", "/es-ca"), ("readOnly", true)),
                            }),
                            ("resources", Map(("requests", Map(("cpu", "10m"), ("memory", "16Mi"))), ("limits", Map(("cpu", "100m"), ("memory", "64Mi"))))),
                            ("securityContext", restricted)),
                    }),
                    ("volumes", new object[]
                    {
                        Map(("name", "setup"), ("configMap", Map(("name", configMap)))),
                        Map(("name", "ca"), ("secret", Map(("secretName", $"{Cluster}-es-http-certs-public")))),
                    }))))))));
    }

    /// <summary>Fluent Bit's values: tail every container log, add Kubernetes metadata, route by tenant, ship to Elasticsearch.</summary>
    private static class FluentBit
    {
        public static FluentBitValues Values() => new(
            new FluentBitConfig(
                Service: """
                    [SERVICE]
                        Daemon Off
                        Flush 5
                        Log_Level info
                        Parsers_File /fluent-bit/etc/parsers.conf
                        HTTP_Server On
                        HTTP_Listen 0.0.0.0
                        HTTP_Port 2020
                        Health_Check On
                    """,
                Inputs: """
                    [INPUT]
                        Name tail
                        Path /var/log/containers/*.log
                        multiline.parser docker, cri
                        Tag kube.*
                        Mem_Buf_Limit 50MB
                        Skip_Long_Lines On
                    """,
                Filters: """
                    [FILTER]
                        Name kubernetes
                        Match kube.*
                        Merge_Log On
                        Keep_Log Off
                        K8S-Logging.Parser Off
                        K8S-Logging.Exclude Off
                    [FILTER]
                        Name lua
                        Match kube.*
                        script /fluent-bit/scripts/tenant.lua
                        call route
                    """,
                Outputs: $"""
                    [OUTPUT]
                        Name es
                        Match kube.*
                        Host {Cluster}-es-http.{PlatformNamespaces.Logging}.svc
                        Port 9200
                        HTTP_User elastic
                        HTTP_Passwd ${"{"}ES_PASSWORD{"}"}
                        tls On
                        tls.verify On
                        tls.ca_file /es-ca/ca.crt
                        Index {ElasticsearchSetup.PlatformStream}
                        Pipeline {ElasticsearchSetup.RoutePipeline}
                        Write_Operation create
                        Suppress_Type_Name On
                        Replace_Dots On
                        Retry_Limit 10
                    """),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["tenant.lua"] = TenantScript },
            [new EnvVar("ES_PASSWORD", new Dictionary<string, object> { ["secretKeyRef"] = new Dictionary<string, object> { ["name"] = $"{Cluster}-es-elastic-user", ["key"] = "elastic" } })],
            [new Dictionary<string, object> { ["name"] = "es-ca", ["secret"] = new Dictionary<string, object> { ["secretName"] = $"{Cluster}-es-http-certs-public" } }],
            [new VolumeMount("es-ca", "/es-ca", ReadOnly: true)],
            new ServiceMonitorValues(true, new Dictionary<string, string>(MonitoringPlacement.Default.Labels)));

        // The tenant comes from the namespace the platform named, and it is written last: a tenant's JSON log merged
        // into the record cannot choose another tenant's data stream or pose as another tenant.
        private static string TenantScript => $$"""
            function route(tag, timestamp, record)
              local k8s = record["kubernetes"]
              local ns = k8s and k8s["namespace_name"] or ""
              local id = string.match(ns, "^{{TenantConventions.NamespacePrefix.Replace("-", "%-", StringComparison.Ordinal)}}([a-z0-9%-]+)$")
              if id then
                record["tenant"] = { id = id }
                record["data_stream"] = { type = "logs", dataset = "{{ElasticsearchSetup.TenantDataset}}", namespace = id }
              else
                record["tenant"] = nil
                record["data_stream"] = { type = "logs", dataset = "platform", namespace = "default" }
              end
              return 2, timestamp, record
            end
            """;
    }
}
