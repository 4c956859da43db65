using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Infra.Components.Kubernetes;
using Infra.Configuration;
using Infra.Tenancy;
using YamlDotNet.RepresentationModel;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// Reads the plans from <c>plans.yaml</c> beside the stack settings files (<c>environments/plans.yaml</c>). Every
/// problem is one line naming the file and the plan's key, including a plan whose application does not fit its own
/// quota (see <see cref="PlanFit"/>).
/// </summary>
internal static partial class TenantPlans
{
    public const string FileName = "plans.yaml";

    /// <summary>The plans file of a project whose stack settings live in <paramref name="settingsDirectory"/>.</summary>
    public static string PathIn(string settingsDirectory) => Path.Combine(settingsDirectory, FileName);

    // The plans last read, by path and text. Every tenant's up reads the file for its preview and again for the update,
    // and a service runs many ups; reading the text is cheap, parsing and checking it is not. Equal text gives equal
    // plans (the records are immutable and the dictionary read-only, in the file's order), so only the parse is
    // reused, never a stale file.
    private static PlansRead? s_last;

    public static IReadOnlyDictionary<string, TenantPlan> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(path, null, "the tenant plans file is missing; tenant stacks read their plan (tenant:plan) from it.");
        }

        var text = SafeYaml.ReadFile(path);
        if (s_last is { } last && last.Path == path && last.Text == text)
        {
            return last.Plans;
        }

        var plans = ParseFile(path, text);
        s_last = new PlansRead(path, text, plans);
        return plans;
    }

    private static System.Collections.ObjectModel.ReadOnlyDictionary<string, TenantPlan> ParseFile(string path, string text)
    {
        var root = SafeYaml.Parse(text, path).Documents.FirstOrDefault()?.RootNode as YamlMappingNode
            ?? throw new ConfigException(path, null, "expected a mapping with 'plans'.");

        if (!root.Children.TryGetValue(new YamlScalarNode("plans"), out var plansNode) || plansNode is not YamlMappingNode plans || plans.Children.Count == 0)
        {
            throw new ConfigException(path, "plans", "expected a mapping of plan names to plans.");
        }

        var result = new Dictionary<string, TenantPlan>(StringComparer.Ordinal);
        foreach (var (nameNode, planNode) in plans.Children)
        {
            var name = ((YamlScalarNode)nameNode).Value ?? string.Empty;
            if (!PlanName().IsMatch(name))
            {
                throw new ConfigException(path, $"plans.{name}", $"a plan's name also names its PriorityClass ({TenantConventions.PriorityClassOf("<plan>")}): use up to 40 lower-case letters, digits and '-'.");
            }

            var map = planNode as YamlMappingNode ?? throw new ConfigException(path, $"plans.{name}", "expected a mapping.");
            var plan = Parse(name, new PlanYaml(path, $"plans.{name}", map));
            PlanFit.Check(plan, new PlanYaml(path, $"plans.{name}", map));
            result[name] = plan;
        }

        return result.AsReadOnly();
    }

    /// <summary>The plan named <paramref name="name"/>, or a one-line error listing the valid ones.</summary>
    public static TenantPlan Select(IReadOnlyDictionary<string, TenantPlan> plans, string name, string settingsPath, string plansPath) =>
        plans.TryGetValue(name, out var plan)
            ? plan
            : throw new ConfigException(settingsPath, "tenant:plan", UnknownPlanProblem(plans, name, plansPath));

    /// <summary>The problem with a plan name that <paramref name="plans"/> does not define.</summary>
    public static string UnknownPlanProblem(IReadOnlyDictionary<string, TenantPlan> plans, string name, string plansPath) =>
        $"{ErrorText.Quote(name)} is not a plan; use one of {string.Join(", ", plans.Keys.Order(StringComparer.Ordinal))} (defined in {plansPath}).";

    private static TenantPlan Parse(string name, PlanYaml plan)
    {
        plan.AllowOnly("description", "connectionLimit", "databaseSize", "backup", "protect", "priority", "quota", "containers", "app", "features", "logs", "production", "releaseStrategy");
        var backup = plan.Map("backup");
        backup.AllowOnly("schedule", "retentionDays");
        var schedule = backup.Text("schedule");
        if (!TenantConventions.IsSchedule(schedule))
        {
            throw backup.Error("schedule", $"{ErrorText.Quote(schedule)} is not a schedule; use {TenantConventions.ScheduleRule}.");
        }

        var quota = plan.Map("quota");
        quota.AllowOnly("requests", "limits", "storage", "pods", "services", "persistentVolumeClaims");
        var (requests, limits) = (quota.Resources("requests"), quota.Resources("limits"));
        var containers = plan.Map("containers");
        containers.AllowOnly("default", "defaultRequest", "max");
        var (defaults, defaultRequests, maxima) = (containers.Resources("default"), containers.Resources("defaultRequest"), containers.Resources("max"));
        var app = plan.Map("app");
        app.AllowOnly("replicas", "requests", "limits");

        return new TenantPlan(
            name,
            plan.Has("description") ? plan.Text("description") : name,
            plan.Number("connectionLimit", 1, 10_000),
            plan.Quantity("databaseSize"),
            schedule,
            backup.Number("retentionDays", 1, 3650),
            plan.Flag("protect"),
            new NamespaceSize
            {
                Tier = name,
                Priority = plan.Number("priority", 0, 1_000_000_000),
                RequestsCpu = requests.Cpu,
                RequestsMemory = requests.Memory,
                LimitsCpu = limits.Cpu,
                LimitsMemory = limits.Memory,
                Storage = quota.Quantity("storage"),
                Pods = quota.Number("pods", 1, 10_000),
                Services = quota.Number("services", 0, 10_000),
                PersistentVolumeClaims = quota.Number("persistentVolumeClaims", 0, 10_000),
                DefaultCpu = defaults.Cpu,
                DefaultMemory = defaults.Memory,
                DefaultRequestCpu = defaultRequests.Cpu,
                DefaultRequestMemory = defaultRequests.Memory,
                MaxCpu = maxima.Cpu,
                MaxMemory = maxima.Memory,
            },
            new AppSize(app.Number("replicas", 1, 50), app.Resources("requests"), app.Resources("limits")),
            Features(plan),
            LogRetentionDays(plan),
            plan.Flag("production"),
            plan.Has("releaseStrategy") ? ReleaseStrategy(plan.Text("releaseStrategy")) ?? throw plan.Error("releaseStrategy", StrategyProblem(plan.Text("releaseStrategy"))) : "rolling");
    }

    private static int LogRetentionDays(PlanYaml plan)
    {
        if (!plan.Has("logs"))
        {
            return TenantPlan.DefaultLogRetentionDays;
        }

        var logs = plan.Map("logs");
        logs.AllowOnly("retentionDays");
        return logs.Number("retentionDays", 1, 3650);
    }

    /// <summary>The strategy as the chart spells it, or <see langword="null"/> when <paramref name="name"/> is none.</summary>
    internal static string? ReleaseStrategy(string name) => TenantConventions.ReleaseStrategies.Contains(name, StringComparer.Ordinal) ? name : null;

    internal static string StrategyProblem(string name) =>
        $"{ErrorText.Quote(name)} is not a release strategy; use {string.Join(" or ", TenantConventions.ReleaseStrategies)}.";

    private static ImmutableSortedDictionary<string, bool> Features(PlanYaml plan)
    {
        if (!plan.Has("features"))
        {
            return ImmutableSortedDictionary<string, bool>.Empty.WithComparers(StringComparer.Ordinal);
        }

        var features = plan.Map("features");
        var flags = ImmutableSortedDictionary.CreateBuilder<string, bool>(StringComparer.Ordinal);
        foreach (var (name, value) in features.Scalars())
        {
            if (!FeatureName().IsMatch(name))
            {
                throw features.Error(name, "a feature flag's name is a letter followed by up to 62 letters and digits, e.g. auditLog.");
            }

            flags[name] = bool.TryParse(value, out var on) ? on : throw features.Error(name, $"{ErrorText.Quote(value)} is not true or false.");
        }

        return flags.ToImmutable();
    }

    private sealed record PlansRead(string Path, string Text, IReadOnlyDictionary<string, TenantPlan> Plans);

    [GeneratedRegex(@"^(?=.{1,40}\z)[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlanName();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FeatureName();
}
