using System.Text.Json.Nodes;
using Infra.Onboarding.Tests.Support;
using Infra.Plugins.Manifest;
using Infra.Plugins.Registry;
using Infra.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Infra.Onboarding.Tests;

/// <summary>
/// One service, one registry and one headless Chromium shared by the portal plugin tests. The registry holds the
/// TypeScript SDK's example usage panel (built from a copy of <c>sdk/typescript</c>, as a clean clone builds it), the
/// hostile test panel, a copy of the usage panel whose module was swapped after signing, and a panel signed by a key
/// the portal does not trust. A tenant is onboarded for real, so the usage panel shows its live database figures.
/// </summary>
public sealed class PortalPluginFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    /// <summary>A cookie of the portal's own origin that page scripts can read: what a panel must not see.</summary>
    public const string ProbeCookie = "portal_probe";
    public const string ProbeValue = "probe-7c1e93d4";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("infra-portal-plugins-");
    private PostgresServer? _server;
    private OnboardingSetup? _setup;
    private ChromeDriverService? _driverService;

    public ServiceProcess Service { get; private set; } = null!;

    public ChromeDriver Browser { get; private set; } = null!;

    public string TenantId { get; } = OnboardingSetup.NewTenantId("panel");

    public string Registry => Path.Combine(_work.FullName, "registry");

    public PluginRelease UsagePanel { get; private set; } = null!;

    public static string ArtifactsDirectory => Path.Combine(RepositoryPaths.Root, "artifacts", "test-results", "portal");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriverPath), "chromium and chromium-driver are required (scripts/install.sh installs them)");
        using var key = PublisherKey.Generate();
        using var stranger = PublisherKey.Generate();
        var usagePanel = await BuildUsagePanelAsync();
        UsagePanel = await PublishAsync(usagePanel, key);
        await PublishAsync(Path.Combine(RepositoryPaths.Root, "tests", "Infra.Onboarding.Tests", "Plugins", "hostile-panel"), key);
        var tampered = await PublishAsync(Renamed(usagePanel, "usage-panel-tampered"), key);
        // What an attacker with write access to the registry's files (not to the publisher's key) can do: swap the module.
        await File.WriteAllTextAsync(Path.Combine(Registry, tampered.Module!), "document.body.textContent = 'tampered code ran';\n");
        await PublishAsync(Renamed(usagePanel, "stranger-panel"), stranger);

        _server = await PostgresServer.StartAsync();
        _setup = await OnboardingSetup.CreateAsync(_server);
        Service = await ServiceProcess.StartAsync(_setup, workers: 2, settings: new Dictionary<string, string?>
        {
            ["Onboarding:Plugins:Registry"] = Registry,
            ["Onboarding:Plugins:TrustedKeys:tests"] = key.PublicKey,
            ["Onboarding:Plugins:Panels:usage-panel:Version"] = "0.1.0",
            ["Onboarding:Plugins:Panels:usage-panel:Grants:0"] = "tenant",
            ["Onboarding:Plugins:Panels:usage-panel:Grants:1"] = "usage",
            ["Onboarding:Plugins:Panels:usage-panel:Grants:2"] = "resize",
            ["Onboarding:Plugins:Panels:hostile-panel:Version"] = "0.1.0",
            ["Onboarding:Plugins:Panels:hostile-panel:Grants:0"] = "tenant",
            ["Onboarding:Plugins:Panels:usage-panel-tampered:Version"] = "0.1.0",
            ["Onboarding:Plugins:Panels:usage-panel-tampered:Grants:0"] = "tenant",
            ["Onboarding:Plugins:Panels:stranger-panel:Version"] = "0.1.0",
            ["Onboarding:Plugins:Panels:stranger-panel:Grants:0"] = "tenant",
        });
        using (var client = Service.ClientFor("operator", "panel-tests"))
        {
            Assert.True((await client.OnboardAsync(TenantId)).IsSuccessStatusCode);
            await client.WaitForAsync(TenantId, "ready");
        }

        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,2000");
        _driverService = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        _driverService.SuppressInitialDiagnosticInformation = true;
        Browser = new ChromeDriver(_driverService, options, TimeSpan.FromSeconds(60));
        Browser.Navigate().GoToUrl(new Uri(Service.Url, "/portal/signin"));
        Browser.FindElement(By.Id("token")).SendKeys(OnboardingSetup.Token("operator", "portal-operator"));
        Browser.FindElement(By.Id("signin")).Click();
        Browser.Manage().Cookies.AddCookie(new Cookie(ProbeCookie, ProbeValue, "/"));
    }

    /// <summary>Saves a screenshot of the current page as a test artifact; returns its size.</summary>
    public long Screenshot(string name)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        var screenshot = Browser.GetScreenshot();
        screenshot.SaveAsFile(Path.Combine(ArtifactsDirectory, name + ".png"));
        return screenshot.AsByteArray.LongLength;
    }

    private async Task<PluginRelease> PublishAsync(string folder, PublisherKey key) =>
        (await PluginPublisher.PublishAsync(folder, Registry, key, clock: null, CancellationToken.None)).Release;

    /// <summary>
    /// Builds the example in a copy of the SDK, with its manifest's own build steps (npm ci, tsc, esbuild), so this
    /// test neither depends on nor disturbs a build another test project runs in the checkout at the same time.
    /// </summary>
    private async Task<string> BuildUsagePanelAsync()
    {
        var sdk = Path.Combine(_work.FullName, "sdk");
        var source = Path.Combine(RepositoryPaths.Root, "sdk", "typescript");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(static part => part is "node_modules" or "dist"))
            {
                continue;
            }

            var target = Path.Combine(sdk, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var folder = Path.Combine(sdk, "examples", "usage-panel");
        var output = new List<string>();
        await PluginBuilder.BuildAsync(PluginManifest.Load(folder), output.Add, CancellationToken.None);
        return folder;
    }

    /// <summary>A copy of a built plugin folder under another name.</summary>
    private string Renamed(string folder, string name)
    {
        var copy = Path.Combine(_work.FullName, name);
        Directory.CreateDirectory(Path.Combine(copy, "dist"));
        File.Copy(Path.Combine(folder, "dist", "panel.js"), Path.Combine(copy, "dist", "panel.js"));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, PluginManifest.FileName)))!.AsObject();
        manifest["name"] = name;
        manifest.Remove("build");
        File.WriteAllText(Path.Combine(copy, PluginManifest.FileName), manifest.ToJsonString());
        return copy;
    }

    public async Task DisposeAsync()
    {
        Browser?.Quit();
        Browser?.Dispose();
        _driverService?.Dispose();
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        if (_setup is not null)
        {
            await _setup.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _work.Delete(recursive: true);
    }
}
