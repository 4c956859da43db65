using System.Diagnostics;
using System.Text;
using Infra.Configuration;

namespace Infra.Bench;

/// <summary>
/// What hostile YAML costs the engine: the time and memory of refusing each attack SafeYaml stops, against the
/// baseline of reading a real file of ours (environments/plans.yaml) in the same run.
/// </summary>
internal static class YamlLimitBenchmarks
{
    private const int Rounds = 20;

    public static void Run()
    {
        var plans = File.ReadAllText(Path.Combine(EngineBenchmarks.FindRoot(), "environments", "plans.yaml"));
        Measure("yaml.read.plans_yaml", plans, refused: false);
        Measure("yaml.refuse.alias_bomb_500b", AliasBomb(), refused: true);
        Measure("yaml.refuse.nested_50000", "value: " + new string('[', 50_000) + new string(']', 50_000) + "\n", refused: true);
        Measure("yaml.refuse.complex_key", "config:\n  ? [a, b]\n  : c\n", refused: true);
        Measure("yaml.refuse.over_1mib", "a: " + new string('x', SafeYaml.MaxFileBytes) + "\n", refused: true);
    }

    private static string AliasBomb()
    {
        var text = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 'b'; level <= 'e'; level++)
        {
            text.Append(level).Append(": &").Append(level).Append(" [").AppendJoin(", ", Enumerable.Repeat($"*{(char)(level - 1)}", 10)).Append("]\n");
        }

        return text.ToString();
    }

    private static void Measure(string name, string yaml, bool refused)
    {
        Once(yaml, refused);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        Once(yaml, refused);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            Once(yaml, refused);
        }

        Figure.Print(name, clock.Elapsed.TotalMilliseconds / Rounds, "ms");
        Figure.Print(name + ".allocated", allocated / (1024.0 * 1024.0), "MB");
    }

    private static void Once(string yaml, bool refused)
    {
        try
        {
            SafeYaml.Parse(yaml, "bench.yaml");
            if (refused)
            {
                throw new InvalidOperationException("SafeYaml read what it should have refused.");
            }
        }
        catch (ConfigException) when (refused)
        {
        }
    }
}
