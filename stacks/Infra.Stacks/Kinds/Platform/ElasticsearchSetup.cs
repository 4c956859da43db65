using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// What Elasticsearch must hold before logs arrive, as the files of the setup Job's ConfigMap:
/// <list type="bullet">
/// <item><description>an ILM policy per plan, <c>logs-tenant-&lt;plan&gt;</c>, that deletes a tenant's logs after the
/// plan's <c>logs.retentionDays</c>, and <c>logs-platform</c> for the platform's own;</description></item>
/// <item><description>the ingest pipeline <see cref="RoutePipeline"/>, whose <c>reroute</c> processor sends each record
/// to the data stream its <c>data_stream</c> fields name (Fluent Bit sets them from the namespace);</description></item>
/// <item><description>an index template per tenant, <c>logs-tenant-&lt;id&gt;</c>, with its plan's policy, and a
/// fallback for tenants onboarded since the platform stack last ran (the shortest retention of any plan) — each with
/// the Elastic Common Schema fields the platform's applications log.</description></item>
/// </list>
/// </summary>
internal static class ElasticsearchSetup
{
    /// <summary>The dataset of tenant data streams: a tenant's stream is <c>logs-tenant-&lt;id&gt;</c>.</summary>
    public const string TenantDataset = "tenant";

    /// <summary>The data stream of the platform's own logs, and where Fluent Bit sends before rerouting.</summary>
    public const string PlatformStream = "logs-platform-default";

    /// <summary>The ingest pipeline that reroutes each record to its data stream.</summary>
    public const string RoutePipeline = "logs-route";

    /// <summary>The setup script's file.</summary>
    public const string Script = "setup.sh";

    /// <summary>Days the platform's own logs are kept.</summary>
    public const int PlatformRetentionDays = 30;

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>The data stream of a tenant's logs.</summary>
    public static string StreamOf(string tenantId) => $"logs-{TenantDataset}-{tenantId}";

    /// <summary>The ILM policy of a plan's tenants.</summary>
    public static string PolicyOf(string plan) => $"logs-{TenantDataset}-{plan}";

    /// <summary>Every file of the setup, by name (ConfigMap keys), with the script that loads them in order.</summary>
    public static SortedDictionary<string, string> Files(PlatformSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var requests = new List<(string Path, string File, JsonObject Body)>();
        foreach (var plan in settings.Plans.Values.OrderBy(static p => p.Name, StringComparer.Ordinal))
        {
            requests.Add(($"_ilm/policy/{PolicyOf(plan.Name)}", $"ilm-{PolicyOf(plan.Name)}.json", Policy(plan.LogRetentionDays)));
        }

        requests.Add(("_ilm/policy/logs-platform", "ilm-logs-platform.json", Policy(PlatformRetentionDays)));
        requests.Add(($"_ingest/pipeline/{RoutePipeline}", $"pipeline-{RoutePipeline}.json", new JsonObject
        {
            ["description"] = "Sends each record to the data stream its data_stream fields name; Fluent Bit sets them from the pod's namespace.",
            ["processors"] = new JsonArray(new JsonObject { ["reroute"] = new JsonObject() }),
        }));
        requests.Add(("_index_template/logs-platform", "template-logs-platform.json", Template("logs-platform-*", "logs-platform", 200)));
        var shortest = settings.Plans.Values.MinBy(static p => p.LogRetentionDays)!;
        // Named outside the logs-tenant-<id> form, so that no tenant's own template can replace it.
        requests.Add(("_index_template/infra-logs-tenant-fallback", "template-infra-logs-tenant-fallback.json",
            Template(StreamOf("*"), PolicyOf(shortest.Name), 200)));
        foreach (var (id, plan) in settings.Tenants)
        {
            requests.Add(($"_index_template/{StreamOf(id)}", $"template-{StreamOf(id)}.json", Template(StreamOf(id), PolicyOf(plan.Name), 300)));
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var script = new StringBuilder("""
            #!/bin/sh
            # Written by infra's platform stack: loads ILM policies, the routing pipeline and index templates, in order.
            set -eu
            put() {
              curl --silent --show-error --fail-with-body --retry 5 --retry-all-errors --cacert /es-ca/ca.crt \
                -u "elastic:${ES_PASSWORD}" -X PUT -H 'Content-Type: application/json' --data-binary "@/setup/$2" "${ES_URL}/$1"
              echo
            }

            """);
        foreach (var (path, file, body) in requests)
        {
            files[file] = body.ToJsonString(s_indented) + "\n";
            script.Append(CultureInfo.InvariantCulture, $"put {path} {file}\n");
        }

        files[Script] = script.ToString();
        return files;
    }

    private static JsonObject Policy(int retentionDays) => new()
    {
        ["policy"] = new JsonObject
        {
            ["phases"] = new JsonObject
            {
                ["hot"] = new JsonObject { ["actions"] = new JsonObject { ["rollover"] = new JsonObject { ["max_age"] = "1d", ["max_primary_shard_size"] = "50gb" } } },
                ["delete"] = new JsonObject
                {
                    ["min_age"] = $"{retentionDays.ToString(CultureInfo.InvariantCulture)}d",
                    ["actions"] = new JsonObject { ["delete"] = new JsonObject() },
                },
            },
        },
    };

    private static JsonObject Template(string pattern, string policy, int priority)
    {
        static JsonObject Keyword() => new() { ["type"] = "keyword" };
        return new JsonObject
        {
            ["index_patterns"] = new JsonArray(pattern),
            ["data_stream"] = new JsonObject(),
            ["priority"] = priority,
            ["template"] = new JsonObject
            {
                ["settings"] = new JsonObject { ["index.lifecycle.name"] = policy },
                ["mappings"] = new JsonObject
                {
                    ["properties"] = new JsonObject
                    {
                        ["@timestamp"] = new JsonObject { ["type"] = "date" },
                        ["message"] = new JsonObject { ["type"] = "match_only_text" },
                        ["log"] = new JsonObject { ["properties"] = new JsonObject { ["level"] = Keyword() } },
                        ["trace"] = new JsonObject { ["properties"] = new JsonObject { ["id"] = Keyword() } },
                        ["tenant"] = new JsonObject { ["properties"] = new JsonObject { ["id"] = Keyword() } },
                        ["data_stream"] = new JsonObject
                        {
                            ["properties"] = new JsonObject
                            {
                                ["type"] = new JsonObject { ["type"] = "constant_keyword" },
                                ["dataset"] = new JsonObject { ["type"] = "constant_keyword" },
                                ["namespace"] = new JsonObject { ["type"] = "constant_keyword" },
                            },
                        },
                    },
                },
            },
            ["_meta"] = new JsonObject { ["managed_by"] = "infra platform stack" },
        };
    }
}
