using Infra.TestSupport;

namespace Infra.Cli.Tests;

/// <summary>Issue 14 §3: config set refuses a bad value with the line preview would print, and --force stores it anyway.</summary>
public sealed class ConfigSetValidationTests : IDisposable
{
    private readonly CliProject _project = new();

    public void Dispose() => _project.Dispose();

    [Theory]
    [InlineData("tenant:id", "Acme_Corp")]
    [InlineData("tenant:plan", "platinum")]
    [InlineData("tenant:platformDomain", "Not A Domain")]
    [InlineData("tenant:databaseCidr", "10.20.0.0/99")]
    [InlineData("tenant:branding", "{\"primaryColor\":\"blue\"}")]
    public async Task A_value_the_tenant_rules_refuse_gets_the_line_preview_gives_and_force_stores_it(string key, string value)
    {
        await InProcessTenant.InitAsync(_project);

        var refused = await InProcessTenant.RunAsync(_project, "config", "set", key, value);
        var settingsBefore = await File.ReadAllTextAsync(_project.SettingsPath("tenant-acme"));
        await InProcessTenant.OkAsync(_project, "config", "set", "--force", key, value);
        var preview = await InProcessTenant.RunAsync(_project, "preview");

        Assert.Equal(1, refused.ExitCode);
        Assert.DoesNotContain(value, settingsBefore, StringComparison.Ordinal);
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"config key '{key}'", line, StringComparison.Ordinal);
        Assert.Equal(1, preview.ExitCode);
        Assert.Equal(line, preview.Stderr.Trim());
    }

    [Theory]
    [InlineData("synthetic:count", "many", "'many' is not an integer")]
    [InlineData("infra:environment", "prod", "'prod' is not one of development, staging, production")]
    public async Task A_value_the_schema_refuses_is_not_stored_unless_forced(string key, string value, string problem)
    {
        await InProcessTenant.InitSyntheticAsync(_project, 1);

        var refused = await InProcessTenant.RunAsync(_project, "config", "set", key, value);
        var forced = await InProcessTenant.RunAsync(_project, "config", "set", "--force", key, value);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(problem, refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains(value, await File.ReadAllTextAsync(_project.SettingsPath("dev")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_of_the_wrong_shape_is_refused_without_echoing_it()
    {
        await InProcessTenant.InitAsync(_project);

        var refused = await InProcessTenant.RunAsync(_project, "config", "set", "--secret", "postgres:connectionString", "Host=db;Passwrd=hunter2;=;");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("config key 'postgres:connectionString': is not a valid connection string or postgres:// URL", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sealed_secrets_certificate_that_is_not_a_pem_certificate_is_refused_where_it_is_set()
    {
        await InProcessTenant.InitAsync(_project);
        var notACertificate = Path.Combine(_project.Directory, "tls.crt");
        await File.WriteAllTextAsync(notACertificate, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");

        var badFile = await InProcessTenant.RunAsync(_project, "config", "set", "kubernetes:sealedSecretsCert", notACertificate);
        var missing = await InProcessTenant.RunAsync(_project, "config", "set", "kubernetes:sealedSecretsCert", "no/such/tls.crt");

        Assert.Equal(1, badFile.ExitCode);
        Assert.Contains("config key 'kubernetes:sealedSecretsCert': is not a valid PEM certificate", badFile.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("is neither a PEM certificate nor an existing file", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_sealed_secrets_certificate_is_reported_once_on_the_secret_and_blames_no_other_resource()
    {
        await InProcessTenant.InitAsync(_project);
        await InProcessTenant.OkAsync(_project, "config", "set", "--force", "kubernetes:sealedSecretsCert", "no/such/tls.crt");

        var preview = await InProcessTenant.RunAsync(_project, "preview");

        Assert.Equal(1, preview.ExitCode);
        var errors = preview.Output.Split('\n').Where(l => l.Contains("sealedSecretsCert", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Contains("kubernetes:index:Secret", error, StringComparison.Ordinal);
        Assert.Contains("is neither a PEM certificate nor an existing file", error, StringComparison.Ordinal);
    }
}
