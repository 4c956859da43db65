#!/usr/bin/env node
import { serveProvider } from "@infra/plugin-sdk";
import { DnsProvider } from "./provider.js";

await serveProvider({ name: "dns", version: "0.1.0" }, new DnsProvider());
