/**
 * Headless Chromium for the report tests: Debian's `chromium` package (scripts/install-tools.sh installs it
 * with ZG_INSTALL_CHROMIUM=1; .ci/run does), driven by playwright-core over CDP. No browser download.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.ZG_CHROMIUM || "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  readonly ctx: BrowserContext;
  readonly userDataDir: string;
  close(): Promise<void>;
}

/** A fresh profile (--user-data-dir, via launchPersistentContext) per launch, removed on close. */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "zg-chromium-"));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport,
    offline: true,
  });
  return {
    ctx,
    userDataDir,
    async close() {
      await ctx.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function fileUrl(file: string): string {
  return `file://${path.resolve(file)}`;
}

/** Open the report; ms until its script has drawn everything (body[data-ready]). */
export async function openReport(page: Page, file: string): Promise<number> {
  const t0 = performance.now();
  await page.goto(fileUrl(file));
  await page.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  return performance.now() - t0;
}

/** Select a filter value and wait for the next frame; ms in the page from change to painted frame. */
export async function applyFilter(page: Page, select: string, value: string): Promise<number> {
  // In-page code as a string: the repo's tsconfig has no DOM lib.
  return page.evaluate(`new Promise((resolve) => {
    const el = document.querySelector(${JSON.stringify(select)});
    const t = performance.now();
    el.value = ${JSON.stringify(value)};
    el.dispatchEvent(new Event("change"));
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t), 0));
  })`) as Promise<number>;
}
