using Infra.Observability.Rules;

namespace Infra.Observability.Alerting;

/// <summary>
/// The routing of <see cref="AlertRoutingArgs"/> in its two spellings: Alertmanager's own configuration file (for a
/// local Alertmanager and <c>amtool</c>: snake_case keys, matchers as text) and an AlertmanagerConfig's <c>spec</c>
/// (camelCase keys, matchers as objects). One tree, two spellings, so they cannot route differently.
/// </summary>
public static class AlertmanagerFiles
{
    /// <summary>The <c>alertmanager.yml</c> text.</summary>
    public static string Yaml(AlertRoutingArgs args) => RuleFiles.Serializer.Serialize(Tree(args, crd: false));

    /// <summary>Writes <c>alertmanager.yml</c> into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string directory, AlertRoutingArgs args)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "alertmanager.yml");
        File.WriteAllText(path, Yaml(args));
        return path;
    }

    /// <summary>The AlertmanagerConfig <c>spec</c>.</summary>
    public static Dictionary<string, object?> CustomResourceSpec(AlertRoutingArgs args) => Tree(args, crd: true);

    private static Dictionary<string, object?> Tree(AlertRoutingArgs args, bool crd)
    {
        ArgumentNullException.ThrowIfNull(args);
        string Key(string snake) => crd ? string.Concat(snake.Split('_').Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..])) : snake;
        object Matcher(string tenant) => crd
            ? new Dictionary<string, object?> { ["name"] = TenantLabels.Tenant, ["value"] = tenant, ["matchType"] = "=" }
            : $"{TenantLabels.Tenant}=\"{tenant}\"";
        Dictionary<string, object?> Receiver(string name, WebhookReceiver webhook) => new()
        {
            ["name"] = name,
            [Key("webhook_configs")] = new List<object?> { new Dictionary<string, object?> { ["url"] = webhook.Url.AbsoluteUri, [Key("send_resolved")] = true } },
        };

        var routes = args.Tenants.Select(t => (object?)new Dictionary<string, object?>
        {
            ["receiver"] = TenantLabels.ReceiverOf(t.TenantId),
            ["matchers"] = new List<object?> { Matcher(t.TenantId) },
            ["continue"] = true,
        }).ToList();
        // A child that matched takes the alert from the root's own receiver, so the operators are a last child too.
        routes.Add(new Dictionary<string, object?> { ["receiver"] = AlertRoutingArgs.OperatorsReceiver });
        var receivers = new List<object?> { Receiver(AlertRoutingArgs.OperatorsReceiver, args.Operators) };
        receivers.AddRange(args.Tenants.Select(t => Receiver(TenantLabels.ReceiverOf(t.TenantId), t.Webhook)));
        return new Dictionary<string, object?>
        {
            ["route"] = new Dictionary<string, object?>
            {
                ["receiver"] = AlertRoutingArgs.OperatorsReceiver,
                [Key("group_by")] = args.GroupBy.ToList(),
                [Key("group_wait")] = PromDuration.Format(args.GroupWait),
                [Key("group_interval")] = PromDuration.Format(args.GroupInterval),
                [Key("repeat_interval")] = PromDuration.Format(args.RepeatInterval),
                ["routes"] = routes,
            },
            ["receivers"] = receivers,
        };
    }
}
