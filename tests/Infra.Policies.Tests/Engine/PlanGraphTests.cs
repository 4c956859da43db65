using Infra.Deployment;
using Infra.Policies.Tests.Support;
using Infra.Policy;
using Infra.Values;

namespace Infra.Policies.Tests.Engine;

/// <summary>A saved plan carries the engine's graph, so a pack run offline on it sees what the engine saw.</summary>
public class PlanGraphTests
{
    /// <summary>Reports every resource's dependencies, so a test can compare the graph two runs saw.</summary>
    private sealed class GraphPack : PolicyPack
    {
        public override string Name => "graph";

        public override string Version => "1.0.0";

        public override IReadOnlyList<PolicyDefinition> Policies { get; } = [new Dependencies()];

        private sealed class Dependencies : StackPolicy
        {
            public override string Name => "dependencies";

            public override string Description => "Reports what each resource depends on.";

            public override EnforcementLevel DefaultLevel => EnforcementLevel.Advisory;

            public override void Validate(StackPolicyContext context)
            {
                foreach (var resource in context.Resources)
                {
                    context.Report(resource, $"depends on [{string.Join(", ", resource.Dependencies)}]");
                }
            }
        }
    }

    private static PropertyMap Inputs(params (string Key, string Value)[] values) =>
        PropertyMap.Create(values.ToDictionary(static v => v.Key, static v => PropertyValue.Create(v.Value)));

    [Fact]
    public async Task Policy_test_on_a_saved_plan_sees_the_dependencies_the_engine_planned_with()
    {
        await using var project = await PolicyProject.CreateAsync(new GraphPack());
        var stack = await project.CreateStackAsync("dev", "  compliance: disabled");
        var program = StackProgram.FromDelegate(ctx =>
        {
            var database = new Declared("postgres:index:Database", "db", Inputs(("name", "tenant_acme")));
            var role = new Declared("postgres:index:Role", "role", Inputs(("name", "tenant_acme")));
            _ = new Declared("postgres:index:Grant", "connect", Inputs(("role", "tenant_acme"), ("database", "tenant_acme")),
                new CustomResourceOptions { DependsOn = [database, role] });
        });

        var preview = await stack.PreviewAsync(project.Preview(program));
        var saved = PlanJson.Deserialize(stack.SerializePlan(preview.Plan), cipher: null, "plan.json");
        var offline = await PlanPolicyRunner.RunAsync(saved, PolicyPackSet.Of(new GraphPack()), PolicySettings.Empty);

        static IEnumerable<(string?, string)> Graph(IEnumerable<PolicyViolation> violations) =>
            violations.Where(static v => v.Pack == "graph").Select(static v => (v.Urn, v.Message)).Order();
        var engine = Graph(preview.Violations).ToList();
        var grant = Urn.Create("dev", "platform", null, "postgres:index:Grant", "connect");
        var expected = $"depends on [{Urn.Create("dev", "platform", null, "postgres:index:Database", "db")}, {Urn.Create("dev", "platform", null, "postgres:index:Role", "role")}]";
        Assert.Equal(3, engine.Count);
        Assert.Contains((grant, expected), engine);
        Assert.Equal(engine, Graph(offline.Violations));
    }
}
