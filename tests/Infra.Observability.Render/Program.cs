using Infra.Observability;
using Infra.Observability.Alerting;
using Infra.Observability.Usage;
using Infra.Stacks.Kinds.Tenant;

// render-monitoring DIR [--plans FILE] [--tenant ID=PLAN]... [--operators-webhook URL]
// The plans come from environments/plans.yaml through the tenant stack's own reader, so the thresholds are the plans'.
if (args.Length == 0 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: render-monitoring DIR [--plans FILE] [--tenant ID=PLAN]... [--operators-webhook URL]");
    return 2;
}

var root = FindRepositoryRoot();
var plansPath = Path.Combine(root, "environments", TenantPlans.FileName);
var operators = new Uri("http://127.0.0.1:9/operators");
var tenants = new List<TenantAssignment>();
for (var i = 1; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i++])
    {
        case "--plans": plansPath = Path.GetFullPath(value); break;
        case "--tenant" when value.Split('=') is [var id, var plan]: tenants.Add(new TenantAssignment(id, plan)); break;
        case "--operators-webhook": operators = new Uri(value); break;
        default: Console.Error.WriteLine($"render-monitoring: unknown or malformed option '{args[i - 1]} {value}'."); return 2;
    }
}

try
{
    var plans = TenantPlans.Load(plansPath).Values.Select(static p => new PlanLimits(p.Name, p.DatabaseSizeBytes, p.ConnectionLimit)).ToList();
    var monitoring = new PlatformMonitoringArgs
    {
        Usage = new TenantUsageAlertsArgs { Plans = plans, Tenants = tenants },
        Routing = new AlertRoutingArgs { Operators = new WebhookReceiver(operators) },
    };
    foreach (var file in MonitoringFiles.Write(args[0], monitoring))
    {
        Console.WriteLine(file);
    }

    return 0;
}
catch (Exception ex) when (ex is Infra.InfraException or ArgumentException or IOException)
{
    Console.Error.WriteLine($"render-monitoring: {ex.Message}");
    return 1;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Infra.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
