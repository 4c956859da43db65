namespace Infra.Observability.Alerting;

/// <summary>A webhook that receives Alertmanager's notifications.</summary>
/// <param name="Url">The webhook's URL (http or https).</param>
public sealed record WebhookReceiver(Uri Url);

/// <summary>A tenant's own receiver: its alerts reach it as well as the operators.</summary>
/// <param name="TenantId">The tenant's id; alerts with <c>tenant="&lt;id&gt;"</c> go to it.</param>
/// <param name="Webhook">Where they go.</param>
public sealed record TenantReceiver(string TenantId, WebhookReceiver Webhook);

/// <summary>
/// How alerts reach people: every alert goes to the operators; an alert labelled with a tenant goes to that tenant's
/// receiver first and then, through <c>continue: true</c>, to the operators as well. Rendered as an
/// AlertmanagerConfig (<see cref="Components.AlertRouting"/>) and as a plain <c>alertmanager.yml</c>
/// (<see cref="AlertmanagerFiles"/>) from this one object.
/// </summary>
public sealed record AlertRoutingArgs
{
    /// <summary>The receiver name of the operators.</summary>
    public const string OperatorsReceiver = "operators";

    /// <summary>The operators' webhook (the on-call tool's Alertmanager integration).</summary>
    public required WebhookReceiver Operators { get; init; }

    /// <summary>Tenants with a receiver of their own.</summary>
    public IReadOnlyList<TenantReceiver> Tenants { get; init; } = [];

    /// <summary>How long to wait to group a new alert with others.</summary>
    public TimeSpan GroupWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait before notifying about new alerts in a group already notified.</summary>
    public TimeSpan GroupInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait before repeating a notification.</summary>
    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Labels alerts are grouped by.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = ["alertname", TenantLabels.Tenant];
}
