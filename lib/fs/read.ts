/**
 * Reading a small input file safely: regular files only (a FIFO, a device or /proc entry is refused without
 * blocking — the open is non-blocking and the check is on the opened descriptor), with a size cap checked
 * before and while reading.
 */
import * as fs from "node:fs";
import { GateError } from "../gate/errors";

export function readRegularFile(file: string, maxBytes: number, shown = file, what = "file"): Buffer {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isFIFO()
        ? "a FIFO"
        : st.isCharacterDevice() || st.isBlockDevice()
          ? "a device"
          : st.isDirectory()
            ? "a directory"
            : st.isSocket()
              ? "a socket"
              : "not a regular file";
      throw new GateError(`${shown}: ${what} is ${kind}; only regular files are read`);
    }
    if (st.size > maxBytes)
      throw new GateError(`${shown}: ${what} is ${st.size} bytes, over the limit of ${maxBytes} bytes; not read`);
    // One byte more than the size: reading it means the file grew while read (refused, never read half).
    const buf = Buffer.alloc(st.size + 1);
    let n = 0;
    for (;;) {
      const r = fs.readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === buf.length) throw new GateError(`${shown}: ${what} changed size while read; not read`);
    }
    return buf.subarray(0, n);
  } catch (e) {
    if (e instanceof GateError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new GateError(`${shown}: ${what} not found`);
    if (code === "EACCES" || code === "EPERM")
      throw new GateError(`${shown}: ${what} cannot be read (permission denied)`);
    if (code === "EISDIR") throw new GateError(`${shown}: ${what} is a directory; only regular files are read`);
    throw new GateError(`${shown}: ${what} cannot be read (${code ?? (e as Error).message})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
