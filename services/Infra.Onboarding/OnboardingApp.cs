using System.Diagnostics;
using System.Threading.RateLimiting;
using Hangfire;
using Hangfire.PostgreSql;
using Infra.Onboarding.Apis;
using Infra.Onboarding.Auth;
using Infra.Onboarding.Data;
using Infra.Onboarding.Hosting;
using Infra.Onboarding.Jobs;
using Infra.Onboarding.Portal.Plugins;
using Infra.Onboarding.Telemetry;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace Infra.Onboarding;

/// <summary>Builds the onboarding service: its services, its pipeline and its routes.</summary>
public static class OnboardingApp
{
    private const string RatePolicy = "per-client";
    private const string PortalPolicy = "portal";

    /// <summary>
    /// Reads appsettings*.json once. Watching them for changes is a recursive inotify watch of the content root, the
    /// working folder: under scripts/onboarding.sh the repository, with the GitOps tree and its git objects, so every
    /// tenant's writes woke the watcher's thread during a burst (3.5 % of the service's sampled CPU). Nothing here
    /// reloads options; a changed setting takes a restart, as a deployment does anyway.
    /// </summary>
    private const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    private static readonly Dictionary<string, string?> s_logLevels = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>Runs the service, or the <c>token</c> command.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder([NoConfigReload, .. args.Length > 0 && args[0] == "token" ? [] : args]);
        if (args.Length > 0 && args[0] == "token")
        {
            return TokenCommand.Run(args[1..], builder.Configuration);
        }

        AddServices(builder);
        var app = builder.Build();
        MapRoutes(app);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        // Lowest precedence, so appsettings, the environment (Logging__LogLevel__Microsoft.AspNetCore=Information) and
        // the command line still decide. At Information the framework writes five JSON lines for every request (request
        // starting and finished, endpoint executing and executed, result written): at 200 GETs a second that cost more
        // than the GET itself; requests are counted and timed by the metrics and traced instead.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = s_logLevels });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(static o => o.FormatterName = EcsConsoleFormatter.FormatterName).AddConsoleFormatter<EcsConsoleFormatter, ConsoleFormatterOptions>();
        builder.WebHost.ConfigureKestrel(static o => o.Limits.MaxRequestBodySize = RequestBody.MaxBytes);

        services.AddOptions<OnboardingOptions>().BindConfiguration(OnboardingOptions.Section);
        services.AddSingleton(sp => ServiceSettings.Resolve(sp.GetRequiredService<IOptions<OnboardingOptions>>().Value, sp.GetRequiredService<IConfiguration>(), development));
        services.AddSingleton(sp => new OnboardingDatabase(OnboardingDatabase.CreateDataSource(sp.GetRequiredService<ServiceSettings>().ConnectionString)));
        services.AddSingleton<TenantViewCache>();
        services.AddSingleton<TenantStore>();
        services.AddHostedService<TenantChangeListener>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<TenantStacks>();
        services.AddSingleton<TenantRules>();
        services.AddSingleton<TenantLocks>();
        services.AddSingleton<ShutdownCoordinator>();
        services.AddSingleton<OnboardingMetrics>();
        services.AddTransient<TenantJobs>();
        services.AddSingleton<DatabaseStartup>();
        services.AddHostedService(static sp => sp.GetRequiredService<DatabaseStartup>());
        services.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        services.AddOptions<HostOptions>().Configure<IOptions<OnboardingOptions>>(static (host, o) => host.ShutdownTimeout = o.Value.Jobs.ShutdownTimeout + TimeSpan.FromSeconds(15));

        services.AddHangfire((sp, config) =>
        {
            var settings = sp.GetRequiredService<ServiceSettings>();
            var jobs = sp.GetRequiredService<IOptions<OnboardingOptions>>().Value.Jobs;
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(settings.ConnectionString), new PostgreSqlStorageOptions
                {
                    SchemaName = "onboarding_jobs",
                    QueuePollInterval = jobs.PollInterval,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = true,
                    PrepareSchemaIfNecessary = true,
                    // Hangfire.PostgreSql's default is ten minutes: after a database restart, every worker that fetched a
                    // job whose lock row outlived its holder's connection sat waiting for it, and queued tenants stayed pending.
                    DistributedLockTimeout = jobs.LockExpiry,
                });
            GlobalJobFilters.Filters.Remove<AutomaticRetryAttribute>();
            config.UseFilter(new AutomaticRetryAttribute
            {
                Attempts = jobs.MaxAttempts,
                DelaysInSeconds = [.. Enumerable.Range(0, jobs.MaxAttempts).Select(i => (int)Math.Max(1, jobs.RetryDelay.TotalSeconds * Math.Pow(2, i)))],
                OnAttemptsExceeded = AttemptsExceededAction.Fail,
            });
        });
        services.AddHangfireServer((sp, o) =>
        {
            var jobs = sp.GetRequiredService<IOptions<OnboardingOptions>>().Value.Jobs;
            o.WorkerCount = jobs.Workers;
            o.ServerName = Readiness.ServerName;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            o.ShutdownTimeout = jobs.ShutdownTimeout + TimeSpan.FromSeconds(10);
            o.StopTimeout = jobs.ShutdownTimeout + TimeSpan.FromSeconds(10);
        });
        services.AddHostedService<UnqueuedOperations>();
        services.AddHostedService<MetricsRefresher>();
        services.AddHealthChecks().AddCheck<Readiness>("ready", tags: ["ready"]);

        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer()
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, static o =>
            {
                o.LoginPath = "/portal/signin";
                o.Cookie.Name = "onboarding_portal";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(1);
            });
        services.AddAuthorizationBuilder().AddPolicy(PortalPolicy, static p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());
        services.AddRazorPages(static o => o.Conventions.AuthorizeFolder("/Portal", PortalPolicy).AllowAnonymousToPage("/Portal/SignIn"));
        services.AddHttpContextAccessor();
        services.AddHttpClient("portal");
        services.AddScoped<Portal.PortalClient>();
        services.AddPortalPlugins();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<OnboardingOptions>>((jwt, options) =>
        {
            var auth = options.Value.Auth;
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = auth.Issuer,
                ValidAudience = auth.Audience,
                ClockSkew = TimeSpan.FromSeconds(5),
                NameClaimType = "sub",
            };
            if (auth.Authority is { Length: > 0 } authority)
            {
                jwt.Authority = authority;
            }
            else
            {
                var key = auth.SigningKey ?? (development
                    ? Tokens.DevelopmentKey
                    : throw new InvalidOperationException("Onboarding:Auth:Authority or Onboarding:Auth:SigningKey must be set outside Development; the development key is refused."));
                jwt.TokenValidationParameters.IssuerSigningKey = Tokens.KeyFrom(key);
            }
        });
        services.AddRateLimiter(static _ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<OnboardingOptions>>(static (limiter, options) =>
        {
            var limits = options.Value.RateLimits;
            limiter.AddPolicy(RatePolicy, context => RateLimitPartition.GetTokenBucketLimiter(ClientKey(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, limits.PerMinute),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            limiter.OnRejected = static async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Problem(StatusCodes.Status429TooManyRequests, "Too many requests.",
                    $"this client is over its request rate; retry after {retryAfter} s.", "rate-limited").ExecuteAsync(context.HttpContext);
            };
        });

        services.AddOpenApi(static o => o.AddDocumentTransformer<OpenApiDocumentShape>());
        var otlp = builder.Configuration[$"{OnboardingOptions.Section}:{nameof(OnboardingOptions.OtlpEndpoint)}"];
        services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.AddSource(OnboardingTelemetry.SourceName, OnboardingTelemetry.EngineSourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql();
                if (!string.IsNullOrEmpty(otlp))
                {
                    tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
                }
            })
            .WithMetrics(static metrics => metrics.AddMeter(OnboardingTelemetry.MeterName).AddPrometheusExporter());
    }

    private static void MapRoutes(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(static async (context, next) =>
        {
            var clock = Stopwatch.StartNew();
            await next(context);
            if (context.Request.Path.StartsWithSegments("/v1"))
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                context.RequestServices.GetRequiredService<OnboardingMetrics>().Request(route, context.Request.Method, context.Response.StatusCode, clock.Elapsed);
            }
        });
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapHealthChecks("/healthz/live", new() { Predicate = static _ => false });
        app.MapHealthChecks("/healthz/ready", new() { Predicate = static c => c.Tags.Contains("ready") });
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", static o => o.WithOpenApiRoutePattern("/openapi/{documentName}.json").WithTitle("Onboarding API"));
        app.MapPrometheusScrapingEndpoint("/metrics");

        app.MapRazorPages().ExcludeFromDescription();
        app.MapPortalPlugins();

        var v1 = app.MapGroup("/v1").RequireAuthorization().RequireRateLimiting(RatePolicy);
        v1.MapTenantsApi();
        v1.MapOperationsApi();
    }

    /// <summary>A client is its token's subject, else its address.</summary>
    private static string ClientKey(HttpContext context) =>
        context.User.FindFirst("sub")?.Value is { } subject ? "sub:" + subject : "ip:" + context.Connection.RemoteIpAddress;
}

/// <summary>The database being unreachable (a restart, a failover) is a 503 the client retries, not a 500.</summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (NpgsqlException or TimeoutException))
        {
            return false;
        }

        logger.BackgroundTaskFailed($"answer {httpContext.Request.Method} {httpContext.Request.Path}", exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "2";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service database is unavailable.",
                Detail = "PostgreSQL did not answer; retry shortly.",
                Type = "https://infra.dev/problems/unavailable",
            },
        }).ConfigureAwait(false);
    }
}
