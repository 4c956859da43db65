namespace Infra.Onboarding;

/// <summary>
/// The service's settings, section <c>Onboarding</c> of appsettings and the environment (<c>Onboarding__Jobs__Workers</c>).
/// The shared settings every tenant stack gets (admin connection, backup location, GitOps tree, sealing certificate)
/// come from here, never from a tenant's request.
/// </summary>
public sealed class OnboardingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Onboarding";

    /// <summary>
    /// The service database as a backend URL (<c>postgres://user:password@host:port/db</c>): stack state, stack config,
    /// jobs, tenants and the audit log. <c>INFRA_BACKEND_URL</c> overrides it.
    /// </summary>
    public string? StateUrl { get; set; }

    /// <summary>The admin connection (Npgsql connection string or postgres:// URL) of the server that holds tenant databases.</summary>
    public string? AdminConnection { get; set; }

    /// <summary>The project folder (Pulumi.yaml, environments/plans.yaml, deploy/charts/platform); default: found upward from the working folder.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>The passphrase of the tenant stacks' secrets; required outside Development.</summary>
    public string? Passphrase { get; set; }

    /// <summary>Where tenant backups go: a directory path.</summary>
    public string? BackupLocation { get; set; }

    /// <summary>The GitOps target.</summary>
    public GitOpsOptions GitOps { get; set; } = new();

    /// <summary>The durable jobs.</summary>
    public JobOptions Jobs { get; set; } = new();

    /// <summary>Token validation.</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>Per-client request limits.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>The in-memory tenant views <c>GET /v1/tenants/{id}</c> reads.</summary>
    public TenantCacheOptions TenantCache { get; set; } = new();

    /// <summary>The OTLP endpoint traces go to; none when unset.</summary>
    public Uri? OtlpEndpoint { get; set; }
}

/// <summary>Where tenant stacks write their Kubernetes objects.</summary>
public sealed class GitOpsOptions
{
    /// <summary>The GitOps git work tree (relative to the project); stack S writes under &lt;Path&gt;/S/.</summary>
    public string Path { get; set; } = ".gitops";

    /// <summary>
    /// The git remote (URL or path) every tenant's commit is pushed to (<c>kubernetes:gitopsRemote</c>); unset keeps
    /// commits in the local work tree. Several instances share their tenants' folders through it.
    /// </summary>
    public string? Remote { get; set; }

    /// <summary>The remote branch pushed to (<c>kubernetes:gitopsBranch</c>); default the work tree's current branch.</summary>
    public string? Branch { get; set; }

    /// <summary>The Sealed Secrets certificate (PEM text or file path) the tenants' credentials are sealed with.</summary>
    public string? SealingCertificate { get; set; }

    /// <summary>The helm binary; default .tools/bin/helm in the project, then helm on PATH.</summary>
    public string? Helm { get; set; }
}

/// <summary>How operations run.</summary>
public sealed class JobOptions
{
    /// <summary>How many operations run at once in this instance, across tenants.</summary>
    public int Workers { get; set; } = 8;

    /// <summary>How many times an operation is tried before it is failed (transient failures only are retried).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry's delay; each later one doubles it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a job fetched by a worker that stopped heartbeating stays invisible before another worker takes it.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the job queue is polled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How old a lock in the job queue must be before another worker may remove it. The queue's locks are rows: one whose
    /// holder lost its connection (a database restart, a killed instance) holds that job's workers until then. They
    /// guard state changes of milliseconds, so a minute is ample; a tenant's operation is guarded by a session lock instead.
    /// </summary>
    public TimeSpan LockExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>On shutdown, how long running operations may finish before they are cancelled through the engine.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>How bearer tokens are validated.</summary>
public sealed class AuthOptions
{
    /// <summary>The token issuer; with <see cref="Authority"/> unset, tokens are checked against <see cref="SigningKey"/>.</summary>
    public string Issuer { get; set; } = "infra-onboarding-dev";

    /// <summary>The audience tokens must name.</summary>
    public string Audience { get; set; } = "infra-onboarding";

    /// <summary>An OpenID Connect authority (production): keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>A symmetric signing key (base64, at least 32 bytes); the development key is used in Development when unset.</summary>
    public string? SigningKey { get; set; }
}

/// <summary>Per-client limits (a client is a token subject, else an address).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests a client may make at once before the per-minute rate applies.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Requests a client may make per minute, sustained.</summary>
    public int PerMinute { get; set; } = 600;
}

/// <summary>
/// The tenant views kept in memory for reads. Each instance drops a view when PostgreSQL announces a change to the tenant
/// or its operations (LISTEN/NOTIFY, from any instance), and keeps nothing while it is not listening.
/// </summary>
public sealed class TenantCacheOptions
{
    /// <summary>Whether views are kept at all; off, every read goes to the database.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many tenants' views are kept at most.</summary>
    public int Size { get; set; } = 10_000;

    /// <summary>How long a view is kept even when no change is heard: a bound on staleness should a notification ever be lost.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
}
