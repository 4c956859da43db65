using System.Globalization;
using Infra.Policy;
using Infra.Tenancy;
using Infra.Values;

namespace Infra.Policies.Compliance.Data;

/// <summary>
/// Every database has a backup schedule (<c>infra:index:BackupSchedule</c> with <c>database</c> set to the database's
/// name), every schedule has a cron <c>schedule</c> and keeps backups at least <c>minDays</c> days, and something in
/// the stack runs it: a CronJob labelled <see cref="TenantConventions.BackupOfLabelKey"/> with the schedule's tenant,
/// on the same cron, whose container runs <c>tenant backup</c> (the tenant stack renders one).
/// </summary>
/// <remarks>
/// Rationale: a database per tenant means a restore per tenant, which needs a backup of that tenant to exist and to
/// reach back far enough to before the mistake was noticed. Retention is a contractual and legal commitment, so the
/// minimum is set per stack (<c>minDays</c>, 7 by default) rather than left to each plan.
/// </remarks>
public sealed class MinBackupRetention : StackPolicy
{
    /// <summary>The config key with the shortest retention allowed, in days.</summary>
    public const string MinDaysKey = "minDays";

    /// <inheritdoc/>
    public override string Name => "min-backup-retention";

    /// <inheritdoc/>
    public override string Description => "Every database has a backup schedule keeping backups at least 'minDays' days.";

    /// <inheritdoc/>
    public override EnforcementLevel DefaultLevel => EnforcementLevel.Mandatory;

    /// <inheritdoc/>
    public override PolicyConfigSchema Config { get; } = PolicyConfigSchema.Empty
        .Integer(MinDaysKey, "The shortest backup retention allowed, in days.", defaultValue: 7, minimum: 1);

    /// <inheritdoc/>
    public override void Validate(StackPolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var minDays = context.Config.GetInt64(MinDaysKey);
        var schedules = context.Select(ResourceSelector.Type(ResourceTypes.BackupSchedule)).ToList();
        var runners = context.Select(ResourceSelector.KubernetesKind("CronJob.batch")).Select(static r => Policies.Kubernetes.KubernetesObject.From(r)).OfType<Policies.Kubernetes.KubernetesObject>().ToList();
        foreach (var schedule in schedules)
        {
            CheckSchedule(context, schedule, minDays);
            CheckRunner(context, schedule, runners);
        }

        foreach (var database in context.Select(ResourceSelector.Type(ResourceTypes.PostgresDatabase)))
        {
            if (database.Inputs.At("name").IsUnresolved())
            {
                continue;
            }

            var name = database.Inputs.StringAt("name") ?? database.Name;
            if (!schedules.Any(s => s.Inputs.At("database").IsUnresolved() || s.Inputs.StringAt("database") == name))
            {
                context.Report(database,
                    $"database '{name}' has no backup schedule: declare an {ResourceTypes.BackupSchedule} {{ tenant, database: {name}, schedule, retentionDays: {minDays} or more }}.");
            }
        }
    }

    /// <summary>Data alone backs nothing up: the schedule needs a CronJob that runs <c>infra tenant backup</c> for its tenant on its cron.</summary>
    private static void CheckRunner(StackPolicyContext context, PolicyResource schedule, IReadOnlyList<Policies.Kubernetes.KubernetesObject> runners)
    {
        if (schedule.Inputs.At("tenant").IsUnresolved() || schedule.Inputs.At("schedule").IsUnresolved())
        {
            return;
        }

        var tenant = schedule.Inputs.StringAt("tenant");
        var cron = schedule.Inputs.StringAt("schedule");
        var runs = runners.Any(job =>
            job.Labels.TryGetValue(TenantConventions.BackupOfLabelKey, out var of) && of == tenant &&
            job.Inputs.StringAt("spec.schedule") == cron &&
            (job.PodTemplate?.Containers ?? []).Any(static c => c.Spec.At("args") is { Kind: PropertyValueKind.Array } args &&
                args.AsArray.Select(static a => a.TryGetString(out var text) ? text : null).ToList() is var words &&
                words.IndexOf("tenant") is >= 0 and var at && at + 1 < words.Count && words[at + 1] == "backup"));
        if (!runs)
        {
            context.Report(schedule,
                $"nothing runs the backup schedule of database '{schedule.Inputs.StringAt("database") ?? "?"}' ('{cron}'): declare a CronJob labelled " +
                $"{TenantConventions.BackupOfLabelKey}: {tenant} on that schedule whose container runs 'infra tenant backup' (the tenant stack renders one).");
        }
    }

    private static void CheckSchedule(StackPolicyContext context, PolicyResource schedule, long minDays)
    {
        var database = schedule.Inputs.StringAt("database") ?? "?";
        var retention = schedule.Inputs.At("retentionDays");
        if (!retention.IsUnresolved())
        {
            if (retention is null || !retention.TryGetNumber(out var days))
            {
                context.Report(schedule, $"the backup schedule of database '{database}' sets no retentionDays; set it to {minDays} or more.");
            }
            else if (days < minDays)
            {
                context.Report(schedule,
                    $"the backup schedule of database '{database}' keeps backups {days.ToString(CultureInfo.InvariantCulture)} days; the minimum for this stack is {minDays} " +
                    $"(policies.compliance.min-backup-retention.{MinDaysKey}).");
            }
        }

        var cron = schedule.Inputs.At("schedule");
        if (!cron.IsUnresolved() && !TenantConventions.IsSchedule(schedule.Inputs.StringAt("schedule")))
        {
            context.Report(schedule, $"the backup schedule of database '{database}' needs a 'schedule': {TenantConventions.ScheduleRule}.");
        }
    }
}
