package dev.infra.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The SDK's tests, without a test framework (none is on this machine's JDK): prints "N passed, N failed". */
public final class PluginServerTest {
    private static int passed;
    private static int failed;

    private PluginServerTest() {
    }

    public static void main(String[] args) throws Exception {
        test("handshake answers and another protocol is refused", () -> {
            Map<Object, JsonNode> answers = run(new PluginServer("t", "1.0.0", List.of("provider")),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"handshake\",\"params\":{\"protocol\":\"infra-plugin/1\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"handshake\",\"params\":{\"protocol\":\"infra-plugin/2\"}}");
            check(answers.get(1).at("/result/protocol").asText().equals("infra-plugin/1"), "protocol answered");
            check(answers.get(2).at("/error/code").asInt() == PluginError.PROTOCOL_MISMATCH, "mismatch refused");
        });
        test("calls run concurrently on the pool", () -> {
            PluginServer server = new PluginServer("t", "1", List.of()).method("slow", p -> {
                sleep(400);
                return "slow";
            });
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                lines.add("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"slow\"}");
            }
            long started = System.nanoTime();
            Map<Object, JsonNode> answers = run(server, lines.toArray(String[]::new));
            check(answers.size() == 8, "every call answered");
            check(System.nanoTime() - started < 8 * 400_000_000L / 2, "calls overlapped");
        });
        test("errors keep code and data, bugs are internal, garbage is a parse error", () -> {
            PluginServer server = new PluginServer("t", "1", List.of())
                .method("conflict", p -> {
                    throw PluginError.conflict("exists", "k");
                })
                .method("bug", p -> {
                    throw new IllegalStateException("oops");
                });
            Map<Object, JsonNode> answers = run(server,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"conflict\"}", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"bug\"}", "{garbage");
            check(answers.get(1).at("/error/code").asInt() == 1001 && answers.get(1).at("/error/data/id").asText().equals("k"), "conflict kept");
            check(answers.get(2).at("/error/code").asInt() == PluginError.INTERNAL, "bug is internal");
            check(answers.get("null").at("/error/code").asInt() == PluginError.PARSE_ERROR, "garbage is a parse error");
        });
        test("secrets and unknowns cross the wire as markers", () -> {
            Object value = Wire.fromWire(Wire.JSON.readTree("{\"a\":{\"$secret\":\"s\"},\"b\":{\"$unknown\":true},\"n\":5}"));
            Map<?, ?> map = (Map<?, ?>) value;
            check(map.get("a") instanceof Secret && map.get("a").toString().equals("[secret]"), "secret typed");
            check(map.get("b") == Unknown.VALUE, "unknown typed");
            check(Wire.toWire(value).toString().equals("{\"a\":{\"$secret\":\"s\"},\"b\":{\"$unknown\":true},\"n\":5}"), "round trip");
        });
        test("a provider announces the preview capability only when its author opts in", () -> {
            String handshake = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"handshake\",\"params\":{\"protocol\":\"infra-plugin/1\",\"engineVersion\":\"1\"}}";
            JsonNode without = run(PluginServer.forProvider("t", "1", null), handshake).get(1).at("/result/capabilities");
            JsonNode with = run(PluginServer.forProvider("t", "1", null, true), handshake).get(1).at("/result/capabilities");
            check(without.toString().equals("[\"provider\",\"batch\"]"), "no preview by default: " + without);
            check(with.toString().equals("[\"provider\",\"batch\",\"preview\"]"), "preview when opted in: " + with);
        });
        test("a batch answers each call on its own, in order, and a failing call fails alone", () -> {
            PluginServer server = new PluginServer("t", "1", List.of("provider", "batch"))
                .method("check", p -> Map.of("inputs", p.get("newInputs"), "failures", List.of()))
                .method("create", p -> {
                    throw PluginError.conflict("exists", "k");
                })
                .batch(java.util.Set.of("check", "create"));
            Map<Object, JsonNode> answers = run(server, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"batch\",\"params\":{\"calls\":["
                + "{\"method\":\"check\",\"params\":{\"newInputs\":{\"a\":{\"$secret\":\"s\"}}}},"
                + "{\"method\":\"create\",\"params\":{}},"
                + "{\"method\":\"configure\",\"params\":{}}]}}");
            JsonNode results = answers.get(1).at("/result/results");
            check(results.size() == 3, "one answer per call");
            check(results.get(0).at("/result/inputs/a/$secret").asText().equals("s"), "the check's secret crossed as a marker");
            check(results.get(1).at("/error/code").asInt() == 1001 && !results.get(1).has("result"), "the conflict failed alone");
            check(results.get(2).at("/error/code").asInt() == PluginError.METHOD_NOT_FOUND, "a batch carries only resource methods");
        });
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static Map<Object, JsonNode> run(PluginServer server, String... lines) throws IOException, InterruptedException {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream input = new PipedInputStream(writer, 1 << 20);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        for (String line : lines) {
            writer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        writer.close();
        server.serve(input, output);
        Map<Object, JsonNode> answers = new HashMap<>();
        for (String line : output.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode answer = Wire.JSON.readTree(line);
            answers.put(answer.get("id").isNull() ? "null" : answer.get("id").asInt(), answer);
        }
        return answers;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void test(String name, Body body) {
        try {
            body.run();
            passed++;
            System.out.println("ok " + name);
        } catch (Exception | AssertionError e) {
            failed++;
            System.out.println("FAIL " + name + ": " + e);
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
