/**
 * One writer at a time for an output directory: `<dir>.lock` holds the pid of the run writing it. A second
 * run waits (polling) until the first ends, then proceeds; a lock left by a killed process (pid gone) is
 * taken over. Waiting longer than `waitMs` is exit 2, never a half-written output.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GateError } from "../gate/errors";
import { pidAlive } from "./atomic";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function acquireLock(
  target: string,
  opts: { waitMs?: number; onWait?: (pid: number) => void } = {},
): Promise<() => void> {
  const file = `${target}.lock`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (e) {
    throw new GateError(`cannot create ${path.dirname(file)}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  const deadline = Date.now() + (opts.waitMs ?? Number(process.env.ZG_LOCK_WAIT_MS || 600_000));
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file, { force: true });
        } catch {
          // gone already
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new GateError(`cannot create the lock ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      }
    }
    let holder = NaN;
    try {
      holder = Number(fs.readFileSync(file, "utf8").trim());
    } catch {
      continue; // released meanwhile
    }
    if (!pidAlive(holder)) {
      // A killed run's lock (or an empty one a crash left between create and write).
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(file);
      } catch {
        continue;
      }
      if (Number.isNaN(holder) && Date.now() - st.mtimeMs < 2000) {
        await sleep(100);
        continue;
      }
      fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new GateError(`${target} is being written by another zonegate run (pid ${holder}); gave up waiting`);
    if (!announced) {
      announced = true;
      opts.onWait?.(holder);
    }
    await sleep(200);
  }
}
