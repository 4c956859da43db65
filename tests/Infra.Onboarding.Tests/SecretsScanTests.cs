using Infra.Onboarding.Hosting;
using Infra.Onboarding.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Infra.Onboarding.Tests;

[Collection(OnboardingCollection.Name)]
public class SecretsScanTests(ServiceFactory service)
{
    [Fact]
    public async Task Logs_and_spans_never_hold_a_secret_value()
    {
        using var client = service.ClientFor("operator", "secrets-scan");
        var id = OnboardingSetup.NewTenantId("sec");
        await (await client.OnboardAsync(id)).OperationIdAsync();
        await client.WaitForAsync(id, "ready");
        var backup = await client.PostAsync($"/v1/tenants/{id}/backups", null);
        await client.WaitForOperationAsync(await backup.OperationIdAsync());

        var stacks = service.Services.GetRequiredService<TenantStacks>();
        var outputs = await (await stacks.FindAsync(id, CancellationToken.None))!.GetOutputsAsync();
        var tenantPassword = outputs["databasePassword"].RevealAll().AsString;
        Assert.False(string.IsNullOrEmpty(tenantPassword));
        var secrets = new[]
        {
            OnboardingSetup.AdminPassword, OnboardingSetup.Passphrase, OnboardingSetup.SigningKey, tenantPassword,
            client.DefaultRequestHeaders.Authorization!.Parameter!,
        };

        Assert.NotEmpty(service.Logs);
        Assert.NotEmpty(service.Spans);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(service.Logs, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(service.Spans, span => span.Contains(secret, StringComparison.Ordinal));
        }
    }
}
