/**
 * An example UI plugin: the tenant's database use against its plan's quotas, as a bar chart with a table below.
 * The portal loads this module (one file, bundled by esbuild) into a sandboxed iframe; everything it knows comes
 * from the host through the SDK's typed host API, and it asks only for what the host grants.
 */
import { connectHost, HostError, type TenantUsage } from "@infra/plugin-sdk/ui";

interface Quota {
  readonly name: string;
  readonly used: number;
  readonly limit: number | null;
  readonly unit: (value: number) => string;
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

function quotas(usage: TenantUsage): Quota[] {
  return [
    { name: "database size", used: usage.databaseSizeBytes, limit: usage.databaseSizeLimitBytes, unit: megabytes },
    { name: "connections", used: usage.connections, limit: usage.connectionLimit, unit: String },
  ];
}

/** One horizontal bar per quota, as a share of the plan (100 % marked by a line, bars past it capped at 120 %). */
function chart(rows: readonly Quota[]): SVGSVGElement {
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", `0 0 240 ${rows.length * 30}`);
  svg.setAttribute("width", "480");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "quota use against the plan");
  rows.forEach((row, i) => {
    const share = row.limit ? row.used / row.limit : 0;
    const bar = document.createElementNS(svgNs, "rect");
    bar.setAttribute("x", "0");
    bar.setAttribute("y", String(i * 30 + 5));
    bar.setAttribute("height", "20");
    bar.setAttribute("width", String(Math.round(Math.min(share, 1.2) * 200)));
    bar.setAttribute("fill", share >= 1 ? "#c62828" : share >= 0.8 ? "#f9a825" : "#2e7d32");
    bar.setAttribute("data-quota", row.name);
    bar.setAttribute("data-share", share.toFixed(4));
    svg.appendChild(bar);
  });
  const full = document.createElementNS(svgNs, "line");
  for (const [key, value] of [["x1", "200"], ["x2", "200"], ["y1", "0"], ["y2", String(rows.length * 30)], ["stroke", "#333"]]) full.setAttribute(key!, value!);
  svg.appendChild(full);
  return svg;
}

function table(rows: readonly Quota[]): HTMLTableElement {
  const element = document.createElement("table");
  const head = element.createTHead().insertRow();
  for (const title of ["Quota", "Used", "Plan", "Share"]) head.insertCell().textContent = title;
  const body = element.createTBody();
  for (const row of rows) {
    const cells = body.insertRow();
    cells.insertCell().textContent = row.name;
    cells.insertCell().textContent = row.unit(row.used);
    cells.insertCell().textContent = row.limit === null ? "no plan" : row.unit(row.limit);
    cells.insertCell().textContent = row.limit ? `${((row.used / row.limit) * 100).toFixed(1)} %` : "-";
  }
  return element;
}

async function render(root: HTMLElement): Promise<void> {
  try {
    const host = await connectHost(window, window.parent);
    const [tenant, usage] = await Promise.all([host.tenant(), host.usage()]);
    const title = document.createElement("h2");
    title.id = "title";
    title.textContent = `${tenant.displayName}: ${usage.plan ?? "no"} plan, ${usage.status}`;
    const rows = quotas(usage);
    root.replaceChildren(title, chart(rows), table(rows));
    await host.resize(document.documentElement.scrollHeight);
  } catch (error) {
    const message = document.createElement("p");
    message.setAttribute("role", "alert");
    message.textContent = error instanceof HostError ? `The portal refused: ${error.message}` : `The panel failed: ${String(error)}`;
    root.replaceChildren(message);
  }
}

void render(document.getElementById("panel") ?? document.body);
