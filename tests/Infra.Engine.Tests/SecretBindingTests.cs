using System.Security.Cryptography;
using System.Text;
using Infra.Automation;
using Infra.State;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

/// <summary>
/// A secret's ciphertext is bound to where it is stored (stack and config key, or stack, resource and property), so
/// one moved elsewhere does not decrypt; ciphertexts written before the binding still read, and are rewritten bound.
/// </summary>
public class SecretBindingTests
{
    /// <summary>A settings file written by the engine before ciphertexts were bound (passphrase "x").</summary>
    private const string LegacySettings = """
        secretsprovider: passphrase
        encryptionsalt: v1:QDF69++JMhsBSWH/phKaAA==:v1:ujIctB05yf/sNgIw:yAl3YGF4QKa4N8/O8fMzupnJXlbp88btodUfSH4SxCKk8Mr3gkk=
        config:
          postgres:connectionString:
            secure: v1:GRxslZa3Neye66xh:HjjXZHAZgLyoCD7/wAztF+I9rjDa6Zr811/Ewvd9mturo+MeSrPmNfM/KiHRl7WTXDOvbudN

        """;

    private const string LegacyPassphrase = "x";

    private const string LegacyPlaintext = "postgres://a:b@127.0.0.1:5432/postgres";

    [Fact]
    public async Task A_ciphertext_moved_to_another_key_does_not_decrypt()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.SetConfigAsync("app:secret", "s3cr3t", secret: true);
        var ciphertext = SecureValue(await File.ReadAllTextAsync(stack.SettingsPath), "app:secret");
        await File.AppendAllTextAsync(stack.SettingsPath, $"  app:name:\n    secure: {ciphertext}\n");

        var config = stack.GetConfig();
        var error = Assert.Throws<ConfigException>(() => config.RevealSecret("app:name"));

        Assert.Equal("s3cr3t", config.RevealSecret("app:secret"));
        Assert.Equal("app:name", error.Key);
        Assert.Contains("config key 'app:name': does not decrypt for this key and stack", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_stack_with_the_same_key_does_not_decrypt()
    {
        await using var project = await TestProject.CreateAsync();
        var dev = await project.Workspace.CreateStackAsync("dev");
        await dev.SetConfigAsync("app:secret", "dev-secret", secret: true);
        // A stack made from a template shares its key; its copy of the secret is re-encrypted for it and reads back.
        var prod = await project.Workspace.CreateStackAsync("prod", new StackInitOptions { CopyConfigFrom = "dev" });
        Assert.Equal("dev-secret", prod.GetConfig().RevealSecret("app:secret"));
        var devCiphertext = SecureValue(await File.ReadAllTextAsync(dev.SettingsPath), "app:secret");
        var prodSettings = await File.ReadAllTextAsync(prod.SettingsPath);
        Assert.NotEqual(devCiphertext, SecureValue(prodSettings, "app:secret"));

        await File.WriteAllTextAsync(prod.SettingsPath, prodSettings.Replace(SecureValue(prodSettings, "app:secret"), devCiphertext, StringComparison.Ordinal));

        var error = Assert.Throws<ConfigException>(() => prod.GetConfig().RevealSecret("app:secret"));
        Assert.Contains("Pulumi.prod.yaml: config key 'app:secret': does not decrypt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ciphertext_from_before_the_binding_still_reads_and_is_rewritten_bound_on_the_next_write()
    {
        await using var project = await TestProject.CreateAsync(passphrase: LegacyPassphrase);
        var stack = await project.Workspace.CreateStackAsync("dev");
        await File.WriteAllTextAsync(stack.SettingsPath, LegacySettings);

        Assert.Equal(LegacyPlaintext, stack.GetConfig().RevealSecret("postgres:connectionString"));
        await stack.SetConfigAsync("app:name", "unrelated");

        var rewritten = SecureValue(await File.ReadAllTextAsync(stack.SettingsPath), "postgres:connectionString");
        Assert.StartsWith("v2:", rewritten, StringComparison.Ordinal);
        Assert.Equal(LegacyPlaintext, stack.GetConfig().RevealSecret("postgres:connectionString"));
    }

    [Fact]
    public async Task Without_the_passphrase_a_plain_write_leaves_old_ciphertexts_for_a_later_write()
    {
        await using var project = await TestProject.CreateAsync(passphrase: LegacyPassphrase);
        var stack = await project.Workspace.CreateStackAsync("dev");
        await File.WriteAllTextAsync(stack.SettingsPath, LegacySettings);
        await using var noPassphrase = await Workspace.OpenAsync(project.Workspace.Options with { Passphrase = null });

        await (await noPassphrase.SelectStackAsync("dev")).SetConfigAsync("app:name", "plain");

        Assert.Contains("secure: v1:GRxslZa3", await File.ReadAllTextAsync(stack.SettingsPath), StringComparison.Ordinal);
        Assert.Equal(LegacyPlaintext, stack.GetConfig().RevealSecret("postgres:connectionString"));
    }

    [Fact]
    public async Task A_state_secret_moved_to_another_resource_does_not_decrypt()
    {
        await using var project = await TestProject.CreateAsync(providers: [new TestProviderFactory(new TestCloud())]);
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.UpAsync(new UpOptions
        {
            Program = StackProgram.FromDelegate(static _ =>
            {
                new TestResource("a", new TestResourceArgs { Password = Output.CreateSecret("password-of-a") });
                new TestResource("b", new TestResourceArgs { Password = Output.CreateSecret("password-of-b") });
            }),
        });
        var backend = project.Workspace.Backend;
        var stored = await backend.LoadAsync("dev", default);
        var rowA = stored.Resources.Single(static r => r.Contains("::a\"", StringComparison.Ordinal));
        var rowB = stored.Resources.Single(static r => r.Contains("::b\"", StringComparison.Ordinal));
        var urnB = StateJson.DeserializeResource(rowB, null, "dev").Urn;

        await RewriteAsync(backend, new StoredMutation.UpsertResource(urnB, false, rowB.Replace(SecretIn(rowB), SecretIn(rowA), StringComparison.Ordinal)));

        var error = await Assert.ThrowsAnyAsync<InfraException>(() => stack.GetSnapshotAsync());
        Assert.Contains($"at '/password' in the inputs of '{urnB}' does not decrypt here", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password-of-a", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_secret_from_before_the_binding_still_reads_and_is_rewritten_bound()
    {
        await using var project = await TestProject.CreateAsync(providers: [new TestProviderFactory(new TestCloud())]);
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.UpAsync(new UpOptions { Program = StackProgram.FromDelegate(static ctx => ctx.Export("token", Output.CreateSecret("new"))) });
        var salt = stack.GetConfig().Settings.EncryptionSalt!;
        await RewriteAsync(project.Workspace.Backend,
            new StoredMutation.SetOutputs("{\"token\":{\"$secret\":\"" + LegacyEncrypt(TestProject.Passphrase, salt, "\"old\"") + "\"}}"));

        Assert.Equal("old", (await stack.GetOutputsAsync())["token"].SecretValue.AsString);
        await stack.UpAsync(new UpOptions { Program = StackProgram.FromDelegate(static ctx => ctx.Export("token", Output.CreateSecret("new"))) });

        var outputs = (await project.Workspace.Backend.LoadAsync("dev", default)).OutputsJson;
        Assert.Contains("\"v2:", outputs, StringComparison.Ordinal);
        Assert.DoesNotContain("\"v1:", outputs, StringComparison.Ordinal);
        Assert.Equal("new", (await stack.GetOutputsAsync())["token"].SecretValue.AsString);
    }

    [Fact]
    public async Task A_saved_plan_for_one_stack_does_not_decrypt_as_another()
    {
        await using var project = await TestProject.CreateAsync(providers: [new TestProviderFactory(new TestCloud())]);
        var dev = await project.Workspace.CreateStackAsync("dev");
        var prod = await project.Workspace.CreateStackAsync("prod", new StackInitOptions { CopyConfigFrom = "dev" });
        var program = StackProgram.FromDelegate(static _ => new TestResource("db", new TestResourceArgs { Password = Output.CreateSecret("pa55") }));
        var plan = dev.SerializePlan((await dev.PreviewAsync(new PreviewOptions { Program = program })).Plan);

        Assert.Equal("pa55", dev.DeserializePlan(plan, "plan.json").Steps.Single().NewInputs!["password"].SecretValue.AsString);
        var forged = plan.Replace("\"stack\": \"dev\"", "\"stack\": \"prod\"", StringComparison.Ordinal);
        Assert.Throws<InfraException>(() => prod.DeserializePlan(forged, "plan.json"));
    }

    private static async Task RewriteAsync(IStateBackend backend, StoredMutation mutation)
    {
        var holder = new LockInfo { LockId = "test", Owner = "t", Host = "h", Pid = 1 };
        await backend.TryAcquireLockAsync("dev", holder, TimeSpan.FromMinutes(1), static _ => false, default);
        await backend.WriteAsync("dev", "test", [mutation], default);
        await backend.ReleaseLockAsync("dev", "test", default);
    }

    private static string SecureValue(string settings, string key)
    {
        var lines = settings.Split('\n');
        var at = Array.FindIndex(lines, line => line.Trim() == key + ":");
        return lines[at + 1].Trim()["secure: ".Length..];
    }

    private static string SecretIn(string row)
    {
        const string marker = "{\"$secret\":\"";
        var start = row.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return row[start..row.IndexOf('"', start)];
    }

    /// <summary>A ciphertext as the engine wrote them before the binding: AES-256-GCM without associated data.</summary>
    private static string LegacyEncrypt(string passphrase, string encryptionSalt, string plaintext)
    {
        var salt = Convert.FromBase64String(encryptionSalt.Split(':')[1]);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, 600_000, HashAlgorithmName.SHA256, 32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[data.Length + 16];
        using (var aes = new AesGcm(key, 16))
        {
            aes.Encrypt(nonce, data, output.AsSpan(0, data.Length), output.AsSpan(data.Length));
        }

        return $"v1:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(output)}";
    }
}
