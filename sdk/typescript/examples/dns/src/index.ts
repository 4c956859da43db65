#!/usr/bin/env node
import { serveProvider } from "@infra/plugin-sdk";
import { DnsProvider } from "./provider.js";

// "preview": the provider predicts a record's fqdn at preview, so the engine sends it the preview's creates and updates.
await serveProvider({ name: "dns", version: "0.1.0", preview: true }, new DnsProvider());
