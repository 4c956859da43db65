using YamlDotNet.RepresentationModel;

namespace Infra.Docs.Tests.Community;

/// <summary>
/// Checks a GitHub issue form (<c>.github/ISSUE_TEMPLATE/*.yml</c>) against the rules GitHub applies when it loads
/// one: required top-level keys, known element types, unique ids, a label for every input, options for dropdowns
/// and checkboxes. Returns one line per problem, naming the file and the element.
/// </summary>
public static class IssueFormSchema
{
    private static readonly HashSet<string> ElementTypes = ["markdown", "textarea", "input", "dropdown", "checkboxes"];
    private static readonly HashSet<string> TopLevelKeys = ["name", "description", "body", "title", "labels", "assignees", "projects", "type"];

    public static IReadOnlyList<string> Validate(string fileName, string yaml)
    {
        var problems = new List<string>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            return [$"{fileName}: not YAML: {e.Message}"];
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return [$"{fileName}: the form must be one YAML mapping"];
        }

        foreach (var key in root.Children.Keys.Select(Text).Where(key => !TopLevelKeys.Contains(key)))
        {
            problems.Add($"{fileName}: unknown top-level key '{key}'");
        }

        foreach (var key in new[] { "name", "description" }.Where(key => NonEmptyScalar(root, key) is null))
        {
            problems.Add($"{fileName}: '{key}' is required and must be a non-empty string");
        }

        if (root.Children.TryGetValue("labels", out var labels) && labels is not YamlSequenceNode)
        {
            problems.Add($"{fileName}: 'labels' must be a list");
        }

        if (!root.Children.TryGetValue("body", out var bodyNode) || bodyNode is not YamlSequenceNode body || body.Children.Count == 0)
        {
            problems.Add($"{fileName}: 'body' is required and must be a non-empty list");
            return problems;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var inputs = 0;
        for (var index = 0; index < body.Children.Count; index++)
        {
            var where = $"{fileName}: body[{index}]";
            if (body.Children[index] is not YamlMappingNode element)
            {
                problems.Add($"{where} must be a mapping");
                continue;
            }

            var type = NonEmptyScalar(element, "type");
            if (type is null || !ElementTypes.Contains(type))
            {
                problems.Add($"{where}: 'type' must be one of {string.Join(", ", ElementTypes)}, not '{type}'");
                continue;
            }

            var id = NonEmptyScalar(element, "id");
            if (id is not null && !ids.Add(id))
            {
                problems.Add($"{where}: id '{id}' is used twice");
            }

            if (id is not null && !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                problems.Add($"{where}: id '{id}' may hold only letters, digits, '-' and '_'");
            }

            var attributes = element.Children.TryGetValue("attributes", out var node) ? node as YamlMappingNode : null;
            if (attributes is null)
            {
                problems.Add($"{where} ({type}): 'attributes' is required");
                continue;
            }

            if (type == "markdown")
            {
                if (NonEmptyScalar(attributes, "value") is null)
                {
                    problems.Add($"{where} (markdown): 'attributes.value' is required");
                }

                continue;
            }

            inputs++;
            if (id is null)
            {
                problems.Add($"{where} ({type}): 'id' is required so answers can be read by tools");
            }

            if (NonEmptyScalar(attributes, "label") is null)
            {
                problems.Add($"{where} ({type}): 'attributes.label' is required");
            }

            if (type is "dropdown" or "checkboxes"
                && (!attributes.Children.TryGetValue("options", out var options) || options is not YamlSequenceNode { Children.Count: > 0 }))
            {
                problems.Add($"{where} ({type}): 'attributes.options' must be a non-empty list");
            }

            if (element.Children.TryGetValue("validations", out var validations)
                && (validations is not YamlMappingNode v || (v.Children.TryGetValue("required", out var required) && Text(required) is not ("true" or "false"))))
            {
                problems.Add($"{where} ({type}): 'validations.required' must be true or false");
            }
        }

        if (inputs == 0)
        {
            problems.Add($"{fileName}: the form asks nothing (no element other than markdown)");
        }

        return problems;
    }

    private static string? NonEmptyScalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(key, out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static string Text(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? string.Empty : node.ToString();
}
