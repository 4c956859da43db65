using Infra.Onboarding.Tests.Support;
using Infra.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Infra.Onboarding.Tests;

/// <summary>The operator portal in a real headless Chromium (Debian's chromium and chromium-driver).</summary>
public class PortalTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    [Fact]
    public async Task An_operator_onboards_a_tenant_through_the_form_sees_it_ready_and_changes_its_plan()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver), "chromium and chromium-driver are required (scripts/install.sh installs them)");
        await using var server = await PostgresServer.StartAsync();
        await using var setup = await OnboardingSetup.CreateAsync(server);
        await using var service = await ServiceProcess.StartAsync(setup, workers: 2);
        var id = OnboardingSetup.NewTenantId("web");

        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1600");
        using var driverService = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        driverService.SuppressInitialDiagnosticInformation = true;
        using var browser = new ChromeDriver(driverService, options, TimeSpan.FromSeconds(60));
        var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(120)) { PollingInterval = TimeSpan.FromMilliseconds(500) };
        // A refresh can replace an element between finding it and reading it: poll again rather than fail.
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        try
        {
            browser.Navigate().GoToUrl(new Uri(service.Url, "/portal"));
            Assert.Contains("/portal/signin", browser.Url, StringComparison.Ordinal);
            browser.FindElement(By.Id("token")).SendKeys(OnboardingSetup.Token("operator", "portal-operator"));
            browser.FindElement(By.Id("signin")).Click();
            wait.Until(b => b.FindElements(By.Id("onboard")).Count > 0);

            browser.FindElement(By.Id("new-id")).SendKeys(id);
            browser.FindElement(By.Id("new-name")).SendKeys("Portal Tenant");
            browser.FindElement(By.XPath("//select[@id='new-plan']/option[text()='free']")).Click();
            browser.FindElement(By.Id("onboard")).Click();
            wait.Until(b => b.Url.EndsWith($"/portal/tenants/{id}", StringComparison.Ordinal));
            WaitForText(browser, wait, "status", "ready");
            Assert.Equal("free", browser.FindElement(By.Id("plan")).Text);

            browser.FindElement(By.XPath("//select[@id='change-plan']/option[text()='standard']")).Click();
            browser.FindElement(By.Id("change")).Click();
            WaitForText(browser, wait, "plan", "standard");
            // The plan shows at once; the stack has it when the update operation succeeded and the outputs say so.
            wait.Until(b =>
            {
                if (b.FindElement(By.Id("operations")).Text.Contains("update succeeded", StringComparison.Ordinal))
                {
                    return true;
                }

                b.Navigate().Refresh();
                return false;
            });
            Assert.Equal("ready", browser.FindElement(By.Id("status")).Text);
            Assert.Contains("\"plan\":\"standard\"", browser.FindElement(By.Id("outputs")).Text, StringComparison.Ordinal);
        }
        finally
        {
            var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(artifacts);
            browser.GetScreenshot().SaveAsFile(Path.Combine(artifacts, "portal-tenant.png"));
        }

        Assert.True(new FileInfo(Path.Combine(AppContext.BaseDirectory, "artifacts", "portal-tenant.png")).Length > 0);
    }

    private static void WaitForText(IWebDriver browser, WebDriverWait wait, string elementId, string text) =>
        wait.Until(b =>
        {
            if (b.FindElement(By.Id(elementId)).Text == text)
            {
                return true;
            }

            b.Navigate().Refresh();
            return false;
        });
}
