using System.Text;
using Infra.Configuration;
using Infra.TestSupport;

namespace Infra.Engine.Tests;

/// <summary>YAML written to stall or crash the engine is refused in one line naming the file and the limit.</summary>
public class HostileYamlTests
{
    /// <summary>Five levels of ten aliases each: about 500 bytes that expand into 100,000 values when walked.</summary>
    public static string AliasBomb()
    {
        var text = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 'b'; level <= 'e'; level++)
        {
            var previous = (char)(level - 1);
            text.Append(level).Append(": &").Append(level).Append(" [")
                .AppendJoin(", ", Enumerable.Repeat($"*{previous}", 10)).Append("]\n");
        }

        return text.ToString();
    }

    /// <summary>A value nested <paramref name="depth"/> deep in flow lists: small, and fatal to a recursive reader.</summary>
    public static string Nested(int depth) => "value: " + new string('[', depth) + new string(']', depth) + "\n";

    [Fact]
    public void The_alias_bomb_is_at_most_500_bytes()
    {
        Assert.InRange(Encoding.UTF8.GetByteCount(AliasBomb()), 100, 500);
    }

    [Fact]
    public void A_500_byte_alias_bomb_is_refused_naming_the_source_and_the_alias()
    {
        var error = Assert.Throws<ConfigException>(() => SafeYaml.Parse(AliasBomb(), "bomb.yaml"));

        Assert.StartsWith("bomb.yaml: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("alias '*a' is not allowed", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_value_nested_50000_deep_is_refused_without_a_stack_overflow()
    {
        var yaml = Nested(50_000);

        var error = Assert.Throws<ConfigException>(() => SafeYaml.Parse(yaml, "deep.yaml"));

        Assert.Contains($"nesting deeper than {SafeYaml.MaxDepth} levels", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("deep.yaml: ", error.Message, StringComparison.Ordinal);
        // Refused when the 65th level opens, so the rest of the input is never even scanned.
        Assert.Contains($"column {"value: ".Length + SafeYaml.MaxDepth}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        // The top-level mapping is one level, so its value may hold 63 more.
        var stream = SafeYaml.Parse(Nested(SafeYaml.MaxDepth - 1), "ok.yaml");

        Assert.Single(stream.Documents);
        Assert.Throws<ConfigException>(() => SafeYaml.Parse(Nested(SafeYaml.MaxDepth), "deep.yaml"));
    }

    [Theory]
    [InlineData("? [a]\n: b\n")]
    [InlineData("? {a: 1}\n: b\n")]
    [InlineData("config:\n  ? [a, b]\n  : c\n")]
    [InlineData("{[a]: b}\n")]
    public void A_complex_mapping_key_is_refused(string yaml)
    {
        var error = Assert.Throws<ConfigException>(() => SafeYaml.Parse(yaml, "keys.yaml"));

        Assert.Contains("complex mapping key", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("keys.yaml: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_plain_key_and_list_values_are_still_read()
    {
        var stream = SafeYaml.Parse("? a\n: [b, {c: d}]\ne: [[1], [2]]\n", "ok.yaml");

        Assert.Single(stream.Documents);
    }

    [Fact]
    public void Text_over_1_MiB_is_refused_before_it_is_parsed()
    {
        var yaml = "a: " + new string('x', SafeYaml.MaxFileBytes) + "\n";

        var error = Assert.Throws<ConfigException>(() => SafeYaml.Parse(yaml, "big.yaml"));

        Assert.Equal("big.yaml: larger than 1 MiB, the limit for a YAML file.", error.Message);
    }

    [Fact]
    public void A_file_that_never_ends_is_read_only_up_to_the_limit()
    {
        // /dev/zero reports no length and never ends: the reader must stop one byte past the limit.
        var error = Assert.Throws<ConfigException>(() => SafeYaml.ReadFile("/dev/zero"));

        Assert.Contains("larger than 1 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_given_twice_is_refused_in_one_short_line_not_a_crash()
    {
        var error = Assert.Throws<ConfigException>(() => SafeYaml.Parse("a: 1\nb: {a: 1, \"a\": 2}\n", "twice.yaml"));
        var longKey = Assert.Throws<ConfigException>(() => SafeYaml.Parse($"? {new string('k', 100_000)}\n: 1\n? {new string('k', 100_000)}\n: 2\n", "long.yaml"));

        Assert.Equal("twice.yaml: the key 'a' appears twice in one mapping (line 2, column 11).", error.Message);
        Assert.Contains("(100000 characters) appears twice", longKey.Message, StringComparison.Ordinal);
        Assert.True(longKey.Message.Length < 400, longKey.Message);
    }

    [Fact]
    public async Task A_500_byte_alias_bomb_in_the_stack_settings_is_refused_naming_the_file()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await File.WriteAllTextAsync(stack.SettingsPath, "config:\n  app:name: x\npolicies:\n" + Indent(AliasBomb()));

        var error = Assert.Throws<ConfigException>(stack.GetConfig);

        Assert.StartsWith(stack.SettingsPath + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains("alias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deeply_nested_project_file_is_refused_naming_the_file()
    {
        var directory = Directory.CreateTempSubdirectory("infra-hostile-yaml-").FullName;
        try
        {
            var path = Path.Combine(directory, ProjectFile.FileName);
            File.WriteAllText(path, "name: platform\nruntime: dotnet\nconfig:\n  app:deep:\n    type: object\n    default: " +
                                    new string('[', 50_000) + new string(']', 50_000) + "\n");

            var error = Assert.Throws<ConfigException>(() => ProjectFile.Load(directory));

            Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
            Assert.Contains($"nesting deeper than {SafeYaml.MaxDepth} levels", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_complex_key_in_the_stack_settings_is_refused_naming_the_file()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await File.WriteAllTextAsync(stack.SettingsPath, "config:\n  ? [app:name]\n  : b\n");

        var error = Assert.Throws<ConfigException>(stack.GetConfig);

        Assert.StartsWith(stack.SettingsPath + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains("complex mapping key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_that_would_exceed_1_MiB_are_not_written()
    {
        await using var project = await TestProject.CreateAsync();
        var stack = await project.Workspace.CreateStackAsync("dev");
        await stack.SetConfigAsync("app:name", "before");
        var before = await File.ReadAllBytesAsync(stack.SettingsPath);

        var error = await Assert.ThrowsAsync<ConfigException>(() => stack.SetConfigAsync("app:name", new string('x', 2 * SafeYaml.MaxFileBytes)));

        Assert.Contains("larger than 1 MiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(stack.SettingsPath));
    }

    private static string Indent(string yaml) =>
        string.Concat(yaml.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static line => "  " + line + "\n"));
}
