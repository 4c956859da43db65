using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Infra.Onboarding.Tests;

/// <summary>
/// UI plugins in the operator portal, in a real headless Chromium: each panel runs in an iframe sandboxed to an
/// opaque origin under a Content-Security-Policy that lets it run its module only, and reaches the page only through
/// the host's <c>postMessage</c> answers to what it was granted. Screenshots go to <c>artifacts/test-results/portal</c>.
/// </summary>
public sealed class PortalPluginTests(PortalPluginFixture fixture) : IClassFixture<PortalPluginFixture>
{
    private OpenQA.Selenium.Chrome.ChromeDriver Browser => fixture.Browser;

    [Fact]
    public void The_example_usage_panel_renders_the_tenants_live_database_use_against_its_plan()
    {
        OpenPanels();
        WaitForStatus("usage-panel", "running");
        var frame = Browser.FindElement(By.Id("panel-usage-panel"));
        Assert.Equal("allow-scripts", frame.GetDomAttribute("sandbox"));
        Browser.SwitchTo().Frame(frame);
        try
        {
            var title = Wait().Until(b => b.FindElements(By.Id("title")).FirstOrDefault());
            Assert.Equal($"Tenant {fixture.TenantId}: free plan, ok", title!.Text);
            var bars = Browser.FindElements(By.CssSelector("rect[data-quota]"));
            Assert.Equal(["database size", "connections"], bars.Select(static b => b.GetDomAttribute("data-quota")));
            // A real database has some size, a fraction of the free plan's quota.
            var share = double.Parse(bars[0].GetDomAttribute("data-share")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(share, 0.0001, 0.8);
            Assert.Contains("database size", Browser.FindElement(By.TagName("table")).Text, StringComparison.Ordinal);
        }
        finally
        {
            Browser.SwitchTo().DefaultContent();
        }

        // The panel asked the host to fit it; the host sized its frame.
        Assert.NotEqual("192px", Browser.FindElement(By.Id("panel-usage-panel")).GetCssValue("height"));
        Assert.True(fixture.Screenshot("panels") > 10_000, "the screenshot of the panels page is nearly empty");
    }

    [Fact]
    public void A_hostile_panel_cannot_read_the_pages_cookies_reach_the_api_or_call_a_method_the_host_did_not_grant()
    {
        OpenPanels();
        // The page itself can read the probe cookie, so a panel that cannot is held back by its sandbox, not by luck.
        Assert.Contains($"{PortalPluginFixture.ProbeCookie}={PortalPluginFixture.ProbeValue}", (string)((IJavaScriptExecutor)Browser).ExecuteScript("return document.cookie;")!, StringComparison.Ordinal);
        Browser.SwitchTo().Frame(Browser.FindElement(By.Id("panel-hostile-panel")));
        string text;
        try
        {
            // The panel is done when the host has answered both its requests and its last fetch has failed or passed.
            text = Wait().Until(b => b.FindElements(By.Id("findings")).FirstOrDefault()?.Text is { } t &&
                t.Contains("\"usage\"", StringComparison.Ordinal) && t.Contains("\"tenant\"", StringComparison.Ordinal) && t.Contains("\"portalPage\"", StringComparison.Ordinal) ? t : null)!;
        }
        finally
        {
            Browser.SwitchTo().DefaultContent();
        }

        using var document = JsonDocument.Parse(text);
        var findings = document.RootElement;
        string Finding(string name) => findings.GetProperty(name).GetString()!;
        Assert.Equal("blocked:SecurityError", Finding("cookie"));
        Assert.Equal("blocked:SecurityError", Finding("parentDocument"));
        Assert.Equal("blocked:SecurityError", Finding("topLocation"));
        Assert.Equal("blocked:SecurityError", Finding("storage"));
        // connect-src 'none': the fetch never leaves the frame.
        Assert.Equal("blocked:TypeError", Finding("apiRelative"));
        Assert.Equal("blocked:TypeError", Finding("apiAbsolute"));
        Assert.Equal("blocked:TypeError", Finding("portalPage"));
        Assert.Equal("tenant", Finding("grants"));
        Assert.Equal("refused:denied", Finding("usage"));
        Assert.Equal($"answered:{fixture.TenantId}", Finding("tenant"));
        Assert.DoesNotContain(PortalPluginFixture.ProbeValue, findings.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_module_swapped_after_signing_is_refused_by_the_browsers_integrity_check_and_never_runs()
    {
        OpenPanels();
        WaitForStatus("usage-panel-tampered", "refused");
        Browser.SwitchTo().Frame(Browser.FindElement(By.Id("panel-usage-panel-tampered")));
        try
        {
            Assert.DoesNotContain("tampered code ran", Browser.FindElement(By.TagName("body")).Text, StringComparison.Ordinal);
        }
        finally
        {
            Browser.SwitchTo().DefaultContent();
        }

        // The service did serve the module, and the frame named the signed hash: the browser refused the bytes.
        using var http = new HttpClient { BaseAddress = fixture.Service.Url };
        var module = await http.GetByteArrayAsync("/portal/panels/usage-panel-tampered/0.1.0/module.js");
        Assert.Equal("document.body.textContent = 'tampered code ran';\n", System.Text.Encoding.UTF8.GetString(module));
        var frame = await http.GetStringAsync("/portal/panels/usage-panel-tampered/0.1.0/frame");
        Assert.Contains($"integrity=\"{fixture.UsagePanel.Integrity}\"", frame, StringComparison.Ordinal);
        Assert.NotEqual(fixture.UsagePanel.Integrity, Infra.Plugins.Registry.PluginPackage.Integrity(module));
        // The example itself, on the same page, still runs: the refusal is the swapped module's alone.
        WaitForStatus("usage-panel", "running");
        fixture.Screenshot("panels-tampered");
    }

    [Fact]
    public void A_panel_signed_by_a_key_the_portal_does_not_trust_is_not_loaded_and_the_page_says_why()
    {
        OpenPanels();
        var problem = Browser.FindElement(By.CssSelector("[data-problem='stranger-panel']")).Text;
        Assert.Contains("unknown key", problem, StringComparison.Ordinal);
        Assert.Empty(Browser.FindElements(By.Id("panel-stranger-panel")));
    }

    [Fact]
    public void The_marketplace_searches_the_registry_and_shows_a_plugins_versions_hashes_and_signer()
    {
        Browser.Navigate().GoToUrl(new Uri(fixture.Service.Url, "/portal/plugins"));
        Assert.Equal(
            ["hostile-panel", "stranger-panel", "usage-panel", "usage-panel-tampered"],
            Browser.FindElements(By.CssSelector("#plugins tr[data-plugin]")).Select(static r => r.GetDomAttribute("data-plugin")));

        Browser.FindElement(By.Id("q")).SendKeys("quotas");
        Browser.FindElement(By.Id("search")).Click();
        Wait().Until(b => b.Url.Contains("q=quotas", StringComparison.Ordinal) && b.FindElements(By.Id("q")).FirstOrDefault()?.GetDomProperty("value") == "quotas");
        Assert.Equal(
            ["stranger-panel", "usage-panel", "usage-panel-tampered"],
            Browser.FindElements(By.CssSelector("#plugins tr[data-plugin]")).Select(static r => r.GetDomAttribute("data-plugin")));

        Browser.FindElement(By.LinkText("usage-panel")).Click();
        Assert.Equal("ui", Browser.FindElement(By.Id("kind")).Text);
        var version = Browser.FindElement(By.CssSelector("#versions tr[data-version='0.1.0']")).Text;
        Assert.Contains(fixture.UsagePanel.Sha256, version, StringComparison.Ordinal);
        Assert.Contains(fixture.UsagePanel.Integrity!, version, StringComparison.Ordinal);
        Assert.Contains("tests (trusted)", version, StringComparison.Ordinal);
        fixture.Screenshot("marketplace-plugin");

        Browser.Navigate().GoToUrl(new Uri(fixture.Service.Url, "/portal/plugins/stranger-panel"));
        Assert.Contains("not trusted", Browser.FindElement(By.CssSelector("#versions td.signer")).Text, StringComparison.Ordinal);
        Browser.Navigate().GoToUrl(new Uri(fixture.Service.Url, "/portal/plugins/no-such-plugin"));
        Assert.Equal("the registry has no plugin 'no-such-plugin'.", Browser.FindElement(By.Id("error")).Text);
    }

    private void OpenPanels() => Browser.Navigate().GoToUrl(new Uri(fixture.Service.Url, $"/portal/tenants/{fixture.TenantId}/panels"));

    private WebDriverWait Wait()
    {
        var wait = new WebDriverWait(Browser, TimeSpan.FromSeconds(30)) { PollingInterval = TimeSpan.FromMilliseconds(200) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait;
    }

    private void WaitForStatus(string panel, string prefix) =>
        Wait().Until(b => b.FindElement(By.Id("status-" + panel)).Text.StartsWith(prefix, StringComparison.Ordinal));
}
