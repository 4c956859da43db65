using Infra.TestSupport;

namespace Infra.Docs.Tests.Community;

public sealed class IssueTemplateTests
{
    private static string TemplateDirectory => Path.Combine(RepositoryPaths.Root, ".github", "ISSUE_TEMPLATE");

    [Theory]
    [InlineData("bug.yml")]
    [InlineData("feature.yml")]
    [InlineData("question.yml")]
    public void The_issue_form_is_valid(string fileName)
    {
        var problems = IssueFormSchema.Validate(fileName, File.ReadAllText(Path.Combine(TemplateDirectory, fileName)));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_bug_form_asks_for_the_version_the_severity_and_the_steps()
    {
        var text = File.ReadAllText(Path.Combine(TemplateDirectory, "bug.yml"));
        Assert.Empty(IssueFormSchema.Validate("bug.yml", text));
        foreach (var id in new[] { "id: version", "id: severity", "id: steps" })
        {
            Assert.Contains(id, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("description: d\nbody:\n  - type: input\n    id: a\n    attributes: { label: A }\n", "'name' is required")]
    [InlineData("name: n\ndescription: d\nbody:\n  - type: input\n    id: a\n    attributes: { label: A }\n  - type: textarea\n    id: a\n    attributes: { label: B }\n", "id 'a' is used twice")]
    [InlineData("name: n\ndescription: d\nbody:\n  - type: slider\n    id: a\n    attributes: { label: A }\n", "'type' must be one of")]
    [InlineData("name: n\ndescription: d\nbody:\n  - type: dropdown\n    id: a\n    attributes: { label: A }\n", "'attributes.options' must be a non-empty list")]
    [InlineData("name: n\ndescription: d\nbody:\n  - type: input\n    attributes: { label: A }\n", "'id' is required")]
    [InlineData("name: n\ndescription: d\nbody:\n  - type: input\n    id: a\n    attributes: { label: A }\n    validations: { required: maybe }\n", "'validations.required' must be true or false")]
    [InlineData("name: n\ndescription: d\nbody:\n  - type: markdown\n    attributes: { value: hi }\n", "the form asks nothing")]
    public void A_broken_form_is_reported_with_the_file_and_the_rule_it_breaks(string yaml, string expected)
    {
        var problems = IssueFormSchema.Validate("broken.yml", yaml);
        Assert.Contains(problems, problem => problem.StartsWith("broken.yml", StringComparison.Ordinal) && problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Blank_issues_are_off_so_every_report_starts_from_a_form()
    {
        var config = File.ReadAllText(Path.Combine(TemplateDirectory, "config.yml"));
        Assert.Contains("blank_issues_enabled: false", config, StringComparison.Ordinal);
    }
}
