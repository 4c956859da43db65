using Infra.Components.Database;
using Infra.Providers.Random;

namespace Infra.Stacks.Kinds.Platform;

/// <summary>
/// The <c>platform</c> stack kind: what all tenants share. It holds the platform's identity and the admin
/// credential of its shared services; given the tenant server's admin connection (<c>postgres:connectionString</c>),
/// it closes that server's shared databases to tenants (<see cref="SharedDatabases"/>, with
/// <c>platform:stateDatabase</c>). Later parts (cluster, monitoring, backups) add their resources here.
/// </summary>
public sealed class PlatformStack : Stack
{
    /// <summary>Declares the platform stack.</summary>
    public PlatformStack(StackContext context) : base(context)
    {
        var platformId = new RandomUuid("platform-id");
        var adminPassword = new RandomPassword("platform-admin", new RandomPasswordArgs { Length = 32, Special = false });
        if (context.Config.Keys.Contains("postgres:connectionString"))
        {
            _ = new SharedDatabases("tenant-server", context.Config.Get("platform:stateDatabase"));
        }

        context.Export("platformId", platformId.Result);
        context.Export("adminPassword", adminPassword.Result);
    }
}
