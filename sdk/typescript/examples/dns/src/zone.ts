/**
 * A zone file of one record per line, `name ttl IN type value`, written whole through a temporary file and a
 * rename, so a crash mid-write leaves the old file or the new one, never half of one. Writes in one process are
 * serialised; concurrent calls queue.
 */
import { readFile, rename, writeFile } from "node:fs/promises";

export interface ZoneRecord {
  name: string;
  type: string;
  value: string;
  ttl: number;
}

export class ZoneFile {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  /** Every record in the file (none when it does not exist yet). */
  async read(): Promise<ZoneRecord[]> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return text
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith(";"))
      .map(parseLine);
  }

  /** Runs `change` on the records with every other change held off, and writes what it returns. */
  update<T>(change: (records: ZoneRecord[]) => { records: ZoneRecord[]; result: T }): Promise<T> {
    const next = this.#queue.then(async () => {
      const { records, result } = change(await this.read());
      const text = records.map((r) => `${r.name} ${r.ttl} IN ${r.type} ${r.value}`).join("\n");
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, records.length === 0 ? "" : text + "\n", "utf8");
      await rename(temporary, this.path);
      return result;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

function parseLine(line: string): ZoneRecord {
  const match = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s+(.+)$/.exec(line);
  if (match === null) throw new Error(`malformed zone file line: ${line}`);
  return { name: match[1]!, ttl: Number(match[2]), type: match[3]!, value: match[4]! };
}
