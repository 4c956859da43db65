using Infra.Tenancy;

namespace Infra.Providers.Infra;

/// <summary>Args for <see cref="BackupSchedule"/>.</summary>
public sealed record BackupScheduleArgs
{
    /// <summary>The tenant id.</summary>
    public required Input<string> Tenant { get; init; }

    /// <summary>The database to back up.</summary>
    public required Input<string> Database { get; init; }

    /// <summary>When to back up, in UTC (<see cref="TenantConventions.ScheduleRule"/>).</summary>
    public required Input<string> Schedule { get; init; }

    /// <summary>How many days backups are kept.</summary>
    public required Input<int> RetentionDays { get; init; }
}

/// <summary>
/// A tenant's backup schedule as data (<c>infra:index:BackupSchedule</c>), recorded in the stack's state for the
/// platform's backup job to read. Nothing outside state is created.
/// </summary>
public sealed class BackupSchedule : CustomResource
{
    /// <summary>Declares a backup schedule.</summary>
    public BackupSchedule(string name, BackupScheduleArgs args, CustomResourceOptions? options = null)
        : base(InfraProvider.BackupScheduleType, name, args, options)
    {
    }

    /// <summary>The cron schedule.</summary>
    public Output<string> Schedule => GetOutput<string>("schedule");

    /// <summary>The retention in days.</summary>
    public Output<int> RetentionDays => GetOutput<int>("retentionDays");
}
