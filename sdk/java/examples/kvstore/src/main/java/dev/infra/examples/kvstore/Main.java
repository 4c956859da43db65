package dev.infra.examples.kvstore;

import dev.infra.plugin.PluginServer;

/** Runs the kvstore provider as a plugin on stdin and stdout. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // true: the provider predicts its outputs at preview ("preview"), so the engine sends it the preview's calls.
        PluginServer.serveProvider("kvstore", "0.1.0", new KvStoreProvider(), true);
    }
}
