using System.Globalization;
using Infra.Policy;
using Infra.Tenancy;

namespace Infra.Policies.Compliance.Data;

/// <summary>
/// Every database has a backup schedule (<c>infra:index:BackupSchedule</c> with <c>database</c> set to the database's
/// name), and every schedule has a cron <c>schedule</c> and keeps backups at least <c>minDays</c> days.
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
        foreach (var schedule in schedules)
        {
            CheckSchedule(context, schedule, minDays);
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
