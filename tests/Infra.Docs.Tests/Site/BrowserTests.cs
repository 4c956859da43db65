using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Infra.Docs.Tests.Site;

/// <summary>
/// Opens the built site in headless Chromium, served over HTTP on 127.0.0.1 as a person would browse it, and keeps a
/// screenshot of each page in <c>artifacts/test-results/docs</c>.
/// </summary>
[Collection(DocsSiteCollection.Name)]
public sealed class BrowserTests(DocsSite site)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    [Fact]
    public async Task The_home_page_the_api_page_of_Resource_and_a_tutorial_render_in_chromium()
    {
        await using var server = await StartSiteAsync();
        var baseUrl = server.Urls.Single();
        using var driver = StartChromium();

        var home = Open(driver, baseUrl + "/index.html", "home");
        Assert.Contains("infra", home.Title, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Start here", ArticleText(driver), StringComparison.Ordinal);
        Assert.NotEmpty(driver.FindElements(By.CssSelector("nav a[href]")));

        Open(driver, baseUrl + "/api/Infra.Resource.html", "api-resource");
        var heading = driver.FindElement(By.CssSelector("article h1")).Text;
        Assert.Contains("Resource", heading, StringComparison.Ordinal);
        Assert.Contains("A declared resource", ArticleText(driver), StringComparison.Ordinal);

        Open(driver, baseUrl + "/tutorials/01-first-stack.html", "tutorial-first-stack");
        Assert.Contains("first stack", driver.FindElement(By.CssSelector("article h1")).Text, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(driver.FindElements(By.CssSelector("article pre code")));
    }

    [Fact]
    public async Task The_onboarding_api_reference_and_the_typescript_sdk_reference_render_in_chromium()
    {
        await using var server = await StartSiteAsync();
        var baseUrl = server.Urls.Single();
        using var driver = StartChromium();

        // Redoc renders the checked-in OpenAPI document by script: an operation's path appears once it has.
        OpenAndWait(driver, baseUrl + "/openapi/reference.html", "onboarding-api",
            d => d.FindElement(By.TagName("body")).Text.Contains("/v1/tenants/{id}", StringComparison.Ordinal));
        var reference = driver.FindElement(By.TagName("body")).Text;
        Assert.Contains("Infra onboarding API", reference, StringComparison.Ordinal);
        Assert.DoesNotContain("Something went wrong", reference, StringComparison.Ordinal);

        OpenAndWait(driver, baseUrl + "/sdk-reference/typescript/index.html", "typescript-sdk",
            d => d.FindElements(By.CssSelector("h1")).Count > 0);
        Assert.Contains("@infra/plugin-sdk", driver.FindElement(By.CssSelector("h1")).Text, StringComparison.Ordinal);
        Assert.NotEmpty(driver.FindElements(By.CssSelector("a[href*='serveProvider']")));
    }

    private static void OpenAndWait(ChromeDriver driver, string url, string screenshotName, Func<IWebDriver, bool> rendered)
    {
        driver.Navigate().GoToUrl(url);
        new WebDriverWait(driver, TimeSpan.FromSeconds(30)).Until(rendered);
        driver.GetScreenshot().SaveAsFile(Path.Combine(DocsSite.ArtifactsDirectory, screenshotName + ".png"));
    }

    private static ChromeDriver Open(ChromeDriver driver, string url, string screenshotName)
    {
        driver.Navigate().GoToUrl(url);
        // The template fills the navigation bar by script once the page's table of contents has loaded.
        new WebDriverWait(driver, TimeSpan.FromSeconds(30)).Until(d => d.FindElements(By.CssSelector("article h1")).Count > 0
            && ((IJavaScriptExecutor)d).ExecuteScript("return document.readyState")?.ToString() == "complete");
        var screenshot = driver.GetScreenshot();
        screenshot.SaveAsFile(Path.Combine(DocsSite.ArtifactsDirectory, screenshotName + ".png"));
        Assert.True(screenshot.AsByteArray.Length > 10_000, $"the screenshot of {url} is nearly empty");
        return driver;
    }

    private static string ArticleText(ChromeDriver driver) => driver.FindElement(By.CssSelector("article")).Text;

    private static ChromeDriver StartChromium()
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Serves the built site on 127.0.0.1, once the site and the browser are known to be there.</summary>
    private async Task<StaticServer> StartSiteAsync()
    {
        site.EnsureBuilt();
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), "chromium and chromium-driver are installed by scripts/install.sh");
        Directory.CreateDirectory(DocsSite.ArtifactsDirectory);
        return await StartStaticServerAsync(DocsSite.OutputDirectory);
    }

    private static async Task<StaticServer> StartStaticServerAsync(string root)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ServeUnknownFileTypes = true });
        await app.StartAsync();
        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new StaticServer(app, files, [.. urls]);
    }

    private sealed record StaticServer(WebApplication App, PhysicalFileProvider Files, IReadOnlyList<string> Urls) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            Files.Dispose();
        }
    }
}
