/**
 * Imported first by lib/cli/zonegate.ts: when it is the program being run, the exit rule's handlers
 * (lib/lifecycle.ts) are installed before any other module loads, so a signal during start-up is exit 2 too.
 */
import { installProcessGuards } from "../lifecycle";
import { describeInput } from "./describe";

if (require.main && /zonegate\.[cm]?[jt]s$/.test(require.main.filename)) {
  const argv = process.argv.slice(2).filter((a) => a !== "--debug");
  installProcessGuards(() => describeInput(argv));
}
