using System.Globalization;
using Infra.Stacks.Kinds.Platform;

namespace Infra.Stacks.Kinds.Tenant;

/// <summary>
/// What runs a tenant's backups, declared by its own stack so that the plan's schedule is never inert data:
/// <list type="bullet">
/// <item><description>a CronJob <c>tenant-backup-&lt;id&gt;</c> running <c>infra tenant backup -s &lt;stack&gt;</c> on the plan's
/// <c>backup.schedule</c> (UTC), which also prunes past its retention. It runs in the operators' namespace
/// <see cref="RunnerNamespace"/>, never in the tenant's: its Secret <see cref="RunnerSecret"/> holds the state URL and
/// the passphrase, which no tenant may read;</description></item>
/// <item><description>a Velero <c>Schedule</c> <c>tenant-&lt;id&gt;</c> backing up the tenant's namespace (its objects and
/// volumes) on the same schedule, kept for the plan's retention, for the loss of a whole cluster.</description></item>
/// </list>
/// Both carry the label <see cref="BackupOfLabel"/> with the tenant id; the compliance policy <c>min-backup-retention</c>
/// finds the CronJob by it.
/// </summary>
internal static class TenantBackupRunners
{
    /// <summary>The namespace of the platform operators' release (<c>deploy/charts/platform</c> with <c>backupRunner</c>).</summary>
    public const string RunnerNamespace = "infra-system";

    /// <summary>The Secret with <c>INFRA_BACKEND_URL</c> and the passphrase, the one the chart's <c>backupRunner.existingSecret</c> names.</summary>
    public const string RunnerSecret = "infra-backup-runner";

    /// <summary>The infra CLI image, as the chart's <c>backupRunner.image</c> pins it.</summary>
    public const string RunnerImage = "ghcr.io/example/infra:1.0.0";

    /// <summary>Velero's namespace: Schedules are read there.</summary>
    public const string VeleroNamespace = "velero";

    /// <summary>The label naming the tenant whose backups an object runs.</summary>
    public const string BackupOfLabel = Infra.Tenancy.TenantConventions.BackupOfLabelKey;

    /// <summary>Declares the CronJob and the Velero Schedule of <paramref name="tenant"/>, whose stack is <paramref name="stack"/>.</summary>
    public static void Declare(TenantSettings tenant, string stack, params Resource[] after)
    {
        var plan = tenant.Plan;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BackupOfLabel] = tenant.Id,
            ["app.kubernetes.io/component"] = "tenant-backup",
        };
        // Protected with the plan's database: while a protected tenant's database stays, so does what backs it up.
        var options = new CustomResourceOptions { DependsOn = [.. after], Protect = plan.Protect };
        var podLabels = labels.ToDictionary(static l => l.Key, static l => (object?)l.Value, StringComparer.Ordinal);
        var jobTemplate = PlatformObjects.Map(("spec", PlatformObjects.Map(
            ("backoffLimit", 1),
            ("template", PlatformObjects.Map(("metadata", PlatformObjects.Map(("labels", podLabels))), ("spec", PodSpec(stack)))))));
        var cronJob = PlatformObjects.Map(
            ("schedule", plan.BackupSchedule),
            ("timeZone", "Etc/UTC"),
            // A run still going when the next is due is left alone: two runs would dump the tenant twice.
            ("concurrencyPolicy", "Forbid"),
            ("startingDeadlineSeconds", 3600),
            ("successfulJobsHistoryLimit", 3),
            ("failedJobsHistoryLimit", 5),
            ("jobTemplate", jobTemplate));
        PlatformObjects.DeclareObject($"{tenant.Id}-backup-cronjob",
            PlatformObjects.Manifest("batch/v1", "CronJob", $"tenant-backup-{tenant.Id}", RunnerNamespace, labels, ("spec", cronJob)), options);

        PlatformObjects.DeclareObject($"{tenant.Id}-velero-schedule", PlatformObjects.Manifest("velero.io/v1", "Schedule", tenant.Namespace, VeleroNamespace, labels,
            ("spec", PlatformObjects.Map(
                ("schedule", plan.BackupSchedule),
                ("template", PlatformObjects.Map(
                    ("includedNamespaces", new List<object?> { tenant.Namespace }),
                    ("snapshotVolumes", true),
                    ("ttl", $"{(plan.BackupRetentionDays * 24).ToString(CultureInfo.InvariantCulture)}h0m0s"))),
                // The first backup waits for the schedule, as the database backups do.
                ("skipImmediately", true)))), options);
    }

    private static Dictionary<string, object?> PodSpec(string stack) => PlatformObjects.Map(
        ("restartPolicy", "Never"),
        ("automountServiceAccountToken", false),
        ("securityContext", PlatformObjects.Map(
            ("runAsNonRoot", true), ("runAsUser", 10001), ("runAsGroup", 10001),
            ("seccompProfile", PlatformObjects.Map(("type", "RuntimeDefault"))))),
        ("containers", new List<object?>
        {
            PlatformObjects.Map(
                ("name", "backup"),
                ("image", RunnerImage),
                ("args", new List<object?> { "tenant", "backup", "-s", stack }),
                ("envFrom", new List<object?> { PlatformObjects.Map(("secretRef", PlatformObjects.Map(("name", RunnerSecret)))) }),
                ("securityContext", PlatformObjects.Map(
                    ("allowPrivilegeEscalation", false), ("readOnlyRootFilesystem", true),
                    ("capabilities", PlatformObjects.Map(("drop", new List<object?> { "ALL" }))))),
                ("resources", PlatformObjects.Map(
                    ("requests", PlatformObjects.Map(("cpu", "100m"), ("memory", "256Mi"))),
                    ("limits", PlatformObjects.Map(("cpu", "1"), ("memory", "1Gi"))))),
                ("volumeMounts", new List<object?> { PlatformObjects.Map(("name", "scratch"), ("mountPath", "/tmp")) })),
        }),
        ("volumes", new List<object?> { PlatformObjects.Map(("name", "scratch"), ("emptyDir", PlatformObjects.Map(("sizeLimit", "20Gi")))) }));
}
