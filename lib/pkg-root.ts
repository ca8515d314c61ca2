/**
 * The zonegate package root (the directory holding its package.json), wherever the code runs from: the
 * TypeScript sources (`lib/…`) under ts-jest or tsx, or the compiled CLI (`dist/lib/…`, `npm run build`).
 * Files the package ships and reads at run time (policies/keys, policies/reference, the HTML report's
 * template and assets, package.json) resolve from here, never from `__dirname` of one file, whose depth
 * differs between the two layouts.
 */
import * as fs from "node:fs";
import * as path from "node:path";

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, "..");
  }
}

export const PKG_ROOT: string = findRoot(__dirname);

/** A path inside the package: `pkgPath("policies", "keys", "x.pem")`. */
export function pkgPath(...parts: string[]): string {
  return path.join(PKG_ROOT, ...parts);
}
