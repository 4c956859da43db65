/**
 * An example UI plugin: the tenant's usage over the last 14 days, as a bar chart of requests with a table beside.
 * The portal loads this module (one file, bundled by esbuild) into a sandboxed iframe; everything it knows comes
 * from the host through the SDK's typed host API, and it asks only for what the host grants.
 */
import { connectHost, HostError, type UsageSample } from "@infra/plugin-sdk/ui";

const days = 14;

function chart(samples: readonly UsageSample[]): SVGSVGElement {
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  const width = 20 * Math.max(samples.length, 1);
  svg.setAttribute("viewBox", `0 0 ${width} 100`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `requests per day over ${samples.length} days`);
  const peak = Math.max(1, ...samples.map((s) => s.requests));
  samples.forEach((sample, i) => {
    const bar = document.createElementNS(svgNs, "rect");
    const height = Math.round((sample.requests / peak) * 96);
    bar.setAttribute("x", String(i * 20 + 2));
    bar.setAttribute("y", String(100 - height));
    bar.setAttribute("width", "16");
    bar.setAttribute("height", String(height));
    bar.setAttribute("data-date", sample.date);
    svg.appendChild(bar);
  });
  return svg;
}

function table(samples: readonly UsageSample[]): HTMLTableElement {
  const element = document.createElement("table");
  const head = element.createTHead().insertRow();
  for (const title of ["Day", "Requests", "CPU s", "Storage MB"]) head.insertCell().textContent = title;
  const body = element.createTBody();
  for (const sample of samples) {
    const row = body.insertRow();
    row.insertCell().textContent = sample.date;
    row.insertCell().textContent = String(sample.requests);
    row.insertCell().textContent = sample.cpuSeconds.toFixed(0);
    row.insertCell().textContent = (sample.storageBytes / 1_048_576).toFixed(1);
  }
  return element;
}

async function render(root: HTMLElement): Promise<void> {
  try {
    const host = await connectHost(window, window.parent);
    const [tenant, samples] = await Promise.all([host.tenant(), host.usage(days)]);
    const title = document.createElement("h2");
    title.textContent = `${tenant.displayName}: usage, last ${days} days`;
    root.replaceChildren(title, chart(samples), table(samples));
    await host.resize(document.documentElement.scrollHeight);
  } catch (error) {
    const message = document.createElement("p");
    message.setAttribute("role", "alert");
    message.textContent = error instanceof HostError ? `The portal refused: ${error.message}` : `The panel failed: ${String(error)}`;
    root.replaceChildren(message);
  }
}

void render(document.getElementById("panel") ?? document.body);
