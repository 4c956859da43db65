using System.Text.RegularExpressions;

namespace Infra.Tenancy;

/// <summary>
/// How the platform names and marks what belongs to a tenant, in one place: components write these names, stacks
/// choose them, and the compliance pack recognises tenants by them.
/// <list type="bullet">
/// <item><description>A tenant id is 3 to 40 lowercase letters, digits and '-', starting and ending with a letter or
/// digit: it can never carry SQL, and it is a valid DNS label inside every name built from it.</description></item>
/// <item><description>Its namespace is <c>tenant-&lt;id&gt;</c>, labelled <c>infra.dev/tenant: &lt;id&gt;</c>, as is everything the
/// platform deploys for it.</description></item>
/// <item><description>Its database and login role are both <c>tenant_&lt;id&gt;</c>; the database belongs to the role
/// <c>tenant_&lt;id&gt;_owner</c>, which cannot log in. Ids hold no '_', so the id is recoverable
/// from the name (<c>tenant_acme_app</c> belongs to <c>acme</c>), which the isolation policies rely on.</description></item>
/// <item><description>Backups run on a cron schedule: five fields, or one of the macros <c>@hourly</c>, <c>@daily</c>,
/// <c>@weekly</c>, <c>@monthly</c>, <c>@yearly</c> (Kubernetes CronJob accepts the same).</description></item>
/// </list>
/// </summary>
public static partial class TenantConventions
{
    /// <summary>The prefix of tenant namespaces and of the other cluster names the platform gives a tenant.</summary>
    public const string NamespacePrefix = "tenant-";

    /// <summary>The one label carrying the tenant id, on the namespace and everything deployed for the tenant.</summary>
    public const string LabelKey = "infra.dev/tenant";

    /// <summary>
    /// The label carrying the tenant id on metrics and alerts (<c>tenant</c>): Prometheus label names cannot hold the
    /// <c>/</c> and <c>.</c> of <see cref="LabelKey"/>. Scrapes set it from the namespace, never from the tenant's pods.
    /// </summary>
    public const string MetricLabel = "tenant";

    /// <summary>
    /// The label that marks a workload as serving a production plan (<c>production: true</c> in plans.yaml), set to
    /// <c>"true"</c>; the compliance pack's production policies apply to such a workload in any stack.
    /// </summary>
    public const string ProductionLabelKey = "infra.dev/production";

    /// <summary>
    /// The label naming the tenant whose backups an object runs (the CronJob of <c>infra tenant backup</c>, a Velero
    /// Schedule), set to the tenant id. Such objects live outside the tenant's namespace, so they do not carry
    /// <see cref="LabelKey"/>; the compliance pack finds a schedule's runner by this label.
    /// </summary>
    public const string BackupOfLabelKey = "infra.dev/backup-of";

    /// <summary>The release strategies a tenant's application can use, as config and plans.yaml spell them.</summary>
    public static IReadOnlyList<string> ReleaseStrategies { get; } = ["rolling", "blueGreen"];

    /// <summary>The prefix of tenant database and role names.</summary>
    public const string PostgresPrefix = "tenant_";

    /// <summary>The suffix of the role that owns a tenant's database.</summary>
    public const string OwnerRoleSuffix = "_owner";

    /// <summary>The schema a tenant's role owns in its database: where its application's objects, and its backups' contents, live.</summary>
    public const string AppSchema = "app";

    /// <summary>The rule a tenant id follows, as a phrase for messages.</summary>
    public const string IdRule = "3 to 40 lowercase letters, digits and '-', starting and ending with a letter or digit";

    /// <summary>The rule a backup schedule follows, as a phrase for messages.</summary>
    public const string ScheduleRule = "a five-field cron expression such as '0 3 * * *' (daily at 03:00 UTC), or @hourly, @daily, @weekly, @monthly or @yearly";

    private static readonly HashSet<string> s_cronMacros = new(StringComparer.Ordinal) { "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly" };

    /// <summary>
    /// Returns why <paramref name="id"/> is not a tenant id (<c>is not a tenant id: use …</c>), or
    /// <see langword="null"/> when it is one. The reason does not repeat the id: the caller quotes it with the
    /// engine's <c>ErrorText.Quote</c>, the one owner of how input is shown in errors (bounded, control characters
    /// escaped), which this dependency-free library cannot reference.
    /// </summary>
    public static string? IdProblem(string? id) =>
        id is not null && IdPattern().IsMatch(id) ? null : $"is not a tenant id: use {IdRule}";

    /// <summary>The tenant's namespace, e.g. <c>tenant-acme</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a tenant id.</exception>
    public static string NamespaceOf(string id) => NamespacePrefix + Checked(id);

    /// <summary>The tenant of a namespace name (<c>tenant-acme</c> is <c>acme</c>); <see langword="null"/> for other names.</summary>
    public static string? TenantOfNamespace(string? name) =>
        name is not null && name.StartsWith(NamespacePrefix, StringComparison.Ordinal) && name.Length > NamespacePrefix.Length
            ? name[NamespacePrefix.Length..]
            : null;

    /// <summary>The group that administers the tenant's namespace unless configured: <c>tenant-&lt;id&gt;-admins</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a tenant id.</exception>
    public static string AdminGroupOf(string id) => $"{NamespaceOf(id)}-admins";

    /// <summary>The PriorityClass the tenants of a plan tier share: <c>tenant-&lt;tier&gt;</c>.</summary>
    public static string PriorityClassOf(string tier) => NamespacePrefix + tier;

    /// <summary>The tenant's database, e.g. <c>tenant_acme</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a tenant id.</exception>
    public static string DatabaseName(string id) => PostgresPrefix + Checked(id);

    /// <summary>The tenant's login role, e.g. <c>tenant_acme</c> (roles and databases are separate namespaces).</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a tenant id.</exception>
    public static string RoleName(string id) => PostgresPrefix + Checked(id);

    /// <summary>
    /// The platform-managed role that owns the tenant's database, e.g. <c>tenant_acme_owner</c>: it cannot log in, so
    /// nobody acts as the owner, and the tenant's login role cannot change the database's settings or its grants.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a tenant id.</exception>
    public static string OwnerRoleName(string id) => PostgresPrefix + Checked(id) + OwnerRoleSuffix;

    /// <summary>
    /// The tenant of a postgres database or role name (<c>tenant_acme_app</c> is <c>acme</c>) under
    /// <paramref name="prefix"/>; <see langword="null"/> for other names.
    /// </summary>
    public static string? TenantOfPostgresName(string? name, string prefix = PostgresPrefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (name is null || !name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
        {
            return null;
        }

        var rest = name[prefix.Length..];
        var end = rest.IndexOf('_', StringComparison.Ordinal);
        return end < 0 ? rest : end == 0 ? null : rest[..end];
    }

    /// <summary>True for a backup schedule: five cron fields of numbers, ranges, lists, steps and '*', or a cron macro.</summary>
    public static bool IsSchedule(string? text)
    {
        if (text is null)
        {
            return false;
        }

        if (text.StartsWith('@'))
        {
            return s_cronMacros.Contains(text);
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 5 && fields.All(static f => CronField().IsMatch(f));
    }

    private static string Checked(string id) =>
        IdProblem(id) is { } problem ? throw new ArgumentException($"the tenant id {problem}.", nameof(id)) : id;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex CronField();
}
