using Infra.Automation;
using Infra.Configuration;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

public class ConfigAndSecretsTests
{
    [Fact]
    public async Task Secret_config_is_stored_encrypted_and_read_back_as_a_secret_output()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");

        await stack.SetConfigAsync("app:secret", "s3cr3t-value", secret: true);

        var file = await File.ReadAllTextAsync(stack.SettingsPath);
        Assert.Contains("secure: v2:", file, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", file, StringComparison.Ordinal);
        var config = stack.GetConfig();
        Assert.True(config.IsSecret("app:secret"));
        Assert.Equal("s3cr3t-value", config.RevealSecret("app:secret"));
        var error = Assert.Throws<ConfigException>(() => config.Get("app:secret"));
        Assert.Contains("RequireSecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_declared_secret_cannot_be_set_in_plaintext()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");

        var error = await Assert.ThrowsAsync<MissingConfigException>(() => stack.SetConfigAsync("app:secret", "oops"));

        Assert.True(error.Secret);
        Assert.Equal("app:secret", error.Key);
        Assert.Contains("cannot be stored in plaintext", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_keys_and_wrong_types_are_rejected_with_the_file_and_key()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");

        var unknown = await Assert.ThrowsAsync<ConfigException>(() => stack.SetConfigAsync("app:nmae", "x"));
        var type = await Assert.ThrowsAsync<ConfigException>(() => stack.SetConfigAsync("app:count", "many"));

        Assert.Contains("'app:nmae'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'app:name'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Pulumi.dev.yaml", type.Message, StringComparison.Ordinal);
        Assert.Contains("'many' is not an integer", type.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_values_set_together_are_all_stored_and_secrets_among_them_encrypted()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");

        await stack.SetAllConfigAsync(new Dictionary<string, string> { ["app:name"] = "acme", ["app:count"] = "3" });
        await stack.SetAllConfigAsync(new Dictionary<string, string> { ["app:secret"] = "s3cr3t-value" }, secret: true);

        var config = stack.GetConfig();
        Assert.Equal("acme", config.Get("app:name"));
        Assert.Equal("3", config.Get("app:count"));
        Assert.Equal("s3cr3t-value", config.RevealSecret("app:secret"));
        Assert.DoesNotContain("s3cr3t-value", await File.ReadAllTextAsync(stack.SettingsPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_set_together_are_stored_all_or_none_when_one_does_not_fit()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.SetConfigAsync("app:name", "before");
        var before = await File.ReadAllTextAsync(stack.SettingsPath);

        var error = await Assert.ThrowsAsync<ConfigException>(() =>
            stack.SetAllConfigAsync(new Dictionary<string, string> { ["app:name"] = "after", ["app:count"] = "many" }));

        Assert.Contains("'many' is not an integer", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(stack.SettingsPath));
        Assert.Equal("before", stack.GetConfig().Get("app:name"));
    }

    [Fact]
    public async Task Environment_variables_override_the_stack_file()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.SetConfigAsync("app:name", "from-file");
        await using var workspace = await Workspace.OpenAsync(project.Workspace.Options with
        {
            Environment = new Dictionary<string, string?> { ["INFRA_CONFIG_app__name"] = "from-env", ["INFRA_CONFIG_PASSPHRASE"] = "ignored" },
        });

        var config = (await workspace.SelectStackAsync("dev")).GetConfig();

        Assert.Equal("from-env", config.Get("app:name"));
        Assert.Equal("demo", new StackConfig(project.Workspace.Project, "dev", StackSettingsFile.Load(stack.SettingsPath + ".absent"), () => null).Get("app:name"));
    }

    [Fact]
    public async Task A_wrong_passphrase_fails_before_anything_runs()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.SetConfigAsync("app:secret", "x", secret: true);
        await using var wrong = await project.ReopenAsync(passphrase: "not the passphrase");

        var error = await Assert.ThrowsAsync<ConfigException>(() =>
            wrong.SelectStackAsync("dev").Result.PreviewAsync(new PreviewOptions { Program = StackProgram.FromDelegate(_ => { }) }));

        Assert.Contains("incorrect passphrase", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pulumi.dev.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_of_many_resources_loads_every_secret_in_the_stored_order()
    {
        // Past a few hundred rows the state is parsed on every core; order and secrets must not depend on that.
        await using var project = await TestProject.CreateAsync(providers: [new TestProviderFactory(new TestCloud())]);
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.UpAsync(new UpOptions
        {
            Program = StackProgram.FromDelegate(context =>
            {
                for (var i = 0; i < 600; i++)
                {
                    _ = new TestResource($"db-{i}", new TestResourceArgs { Password = Output.CreateSecret($"pa55-{i}") });
                }
            }),
        });
        await using var reopened = await project.ReopenAsync();

        var stored = await reopened.Backend.LoadAsync("dev", CancellationToken.None);
        var snapshot = await (await reopened.SelectStackAsync("dev")).GetSnapshotAsync();

        var storedUrns = stored.Resources.Select(json => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("urn").GetString()).ToList();
        Assert.Equal(storedUrns, snapshot.Resources.Select(resource => resource.Urn));
        var databases = snapshot.Resources.Where(resource => resource.Urn.Contains("::db-", StringComparison.Ordinal)).ToList();
        Assert.Equal(600, databases.Count);
        Assert.All(databases, resource =>
            Assert.Equal("pa55-" + resource.Urn[(resource.Urn.LastIndexOf("::db-", StringComparison.Ordinal) + 5)..], resource.Inputs["password"].SecretValue.AsString));
    }

    [Fact]
    public async Task Malformed_settings_yaml_is_reported_with_file_and_line()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await File.WriteAllTextAsync(stack.SettingsPath, "config:\n  app:name: [unclosed\n");

        var error = Assert.Throws<ConfigException>(stack.GetConfig);

        Assert.Contains("Pulumi.dev.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed YAML at line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_then_import_into_another_stack_reencrypts_its_secrets()
    {
        await using var project = await TestProject.CreateAsync(providers: [new TestProviderFactory(new TestCloud())]);
        var source = await project.Workspace.CreateStackAsync("source");
        await source.UpAsync(new UpOptions
        {
            Program = StackProgram.FromDelegate(ctx =>
            {
                new TestResource("db", new TestResourceArgs { Password = Output.CreateSecret("pa55") });
                ctx.Export("token", Output.CreateSecret("t0k"));
            }),
        });

        var document = await source.ExportStateAsync();
        var target = await project.Workspace.CreateStackAsync("target");
        await target.ImportStateAsync(document, "export.json");

        Assert.DoesNotContain("pa55", document, StringComparison.Ordinal);
        var snapshot = await target.GetSnapshotAsync();
        Assert.Equal("pa55", snapshot.Resources.Single().Inputs["password"].SecretValue.AsString);
        Assert.Equal("t0k", snapshot.Outputs["token"].SecretValue.AsString);
    }
}

public class CopyConfigTests
{
    [Fact]
    public async Task A_stack_created_from_a_template_shares_its_config_secrets_and_key()
    {
        await using var project = await TestProject.CreateAsync();
        var template = await project.Workspace.CreateStackAsync("template");
        await template.SetConfigAsync("app:name", "shared");
        await template.SetConfigAsync("app:secret", "admin-conn", secret: true);

        var tenant = await project.Workspace.CreateStackAsync("tenant-1", new StackInitOptions { CopyConfigFrom = "template" });

        var config = tenant.GetConfig();
        Assert.Equal("shared", config.Get("app:name"));
        Assert.Equal("admin-conn", config.RevealSecret("app:secret"));
        Assert.Equal(template.GetConfig().Settings.EncryptionSalt, config.Settings.EncryptionSalt);
        var missing = await Assert.ThrowsAnyAsync<InfraException>(() => project.Workspace.CreateStackAsync("tenant-2", new StackInitOptions { CopyConfigFrom = "nope" }));
        Assert.Contains("'nope'", missing.Message, StringComparison.Ordinal);
    }
}
