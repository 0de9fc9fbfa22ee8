/**
 * Real-browser tests: bundle a page entry for the browser with esbuild (no Node polyfills), serve
 * it on a free loopback port, and drive Debian's headless Chromium through playwright-core (never a
 * downloaded browser). Without Chromium a test file skips with one line saying why, except under
 * CI=true, where a missing browser fails.
 */
import { describe, it } from '@jest/globals';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The monorepo root. */
export const REPO_ROOT = resolve(__dirname, '..');

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Flags that let Chromium start as root in a sandboxed machine without network. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Registers `body` when Chromium is installed. Otherwise: under CI=true, one failing test saying
 * Chromium is missing; elsewhere, a skipped block and one line on the console saying why.
 * @param title - the block's title
 * @param body - registers the tests
 */
export function describeInChromium(title: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) return describe(title, body);
  const why = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env['CI'] === 'true') {
    describe(title, () => it('needs Chromium', () => Promise.reject(new Error(`${why}; CI=true requires the browser tests`))));
  } else {
    console.warn(`skipping "${title}": ${why}`);
    describe.skip(`${title} (skipped: ${why})`, body);
  }
}

/** A served page bundle and a browser to open it in. */
export interface BrowserSession {
  /** The page's address (its index.html). */
  readonly url: string;
  /** The browser context: its pages share one origin's storage (IndexedDB, BroadcastChannel). */
  readonly context: BrowserContext;
  /**
   * Opens a new page (tab) at `url` and waits until its script set `globalThis.ready`.
   * @param context - where: the session's context by default, or one from {@link BrowserSession.newContext}
   */
  openPage(context?: BrowserContext): Promise<Page>;
  /** A new browser context: storage of its own (IndexedDB, quota), as a fresh profile has. */
  newContext(): Promise<BrowserContext>;
  /** A folder that is removed on close (screenshots and such go there). */
  readonly dir: string;
  /** Closes the browser and the server, removes the folder. */
  close(): Promise<void>;
}

/** How {@link startBrowser} builds and serves the page. */
export interface PageOptions {
  /** Extra markup of the generated page's body. */
  readonly body?: string;
  /** An index.html to serve instead of the generated one (it loads `script`). */
  readonly indexHtml?: string;
  /** Where the bundle goes in the served folder. @default 'page.js' */
  readonly script?: string;
  /**
   * Bundle as an app does: the packages' dist (built first) through package conditions, with
   * this tsconfig for every file, instead of the sources through the test tsconfig's paths.
   */
  readonly publishedWith?: string;
}

/**
 * Bundles `entry` (a TypeScript file that sets `globalThis.ready = true` once loaded) for the
 * browser, serves it on 127.0.0.1 at a free port and launches headless Chromium.
 * @param entry - the page script, relative to the repository root
 * @param options - the page's markup and how to bundle
 * @returns the session; call `close()` in afterAll
 */
export async function startBrowser(entry: string, options: PageOptions = {}): Promise<BrowserSession> {
  const dir = mkdtempSync(join(tmpdir(), 'konserve-rx-browser-'));
  const script = options.script ?? 'page.js';
  if (options.publishedWith === undefined) await bundleForBrowser(join(REPO_ROOT, entry), join(dir, script));
  else await bundleAsPublished(join(REPO_ROOT, entry), join(dir, script), join(REPO_ROOT, options.publishedWith));
  const html = options.indexHtml
    ? readFileSync(join(REPO_ROOT, options.indexHtml), 'utf8')
    : `<!doctype html><html><head><meta charset="utf-8"><title>konserve-rx</title></head><body>${options.body ?? ''}<script src="${script}"></script></body></html>`;
  writeFileSync(join(dir, 'index.html'), html);
  const server = await serveFolder(dir);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, timeout: 60_000 });
    const context = await browser.newContext();
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/index.html`;
    const opened = browser;
    return {
      url,
      context,
      dir,
      newContext: () => opened.newContext(),
      openPage: async (where = context) => {
        const page = await where.newPage();
        await page.goto(url);
        await page.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
        return page;
      },
      close: async () => {
        await opened.close();
        await new Promise((r) => server.close(r));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser?.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Bundles a TypeScript entry for the browser the way an app would: esbuild, platform browser, no
 * Node polyfills, `@konserve-rx/*` resolved to the packages' sources (the test tsconfig's paths).
 * @param entry - the absolute path of the entry
 * @param outfile - where the bundle goes
 * @param minify - minify (for size figures)
 * @returns the metafile, to inspect what went in
 */
export async function bundleForBrowser(entry: string, outfile: string, minify = false): Promise<import('esbuild').Metafile> {
  const result = await build({
    // a failure says which imports could not be bundled, one per line
    logLevel: 'silent',
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify,
    sourcemap: minify ? false : 'inline',
    tsconfig: join(REPO_ROOT, 'tsconfig.test.json'),
    plugins: [lazyNodeImportsOnly, browserPlatformFromSource],
    metafile: true,
  }).catch((e: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    const lines = (e.errors ?? []).map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`);
    throw new Error(`bundling ${entry} for the browser failed:\n${lines.join('\n')}`);
  });
  return result.metafile;
}

/**
 * Bundles an app's entry as its own build would: esbuild, platform browser, no polyfills, the
 * packages from their dist (package `exports` and core's `#platform` conditions).
 * @param entry - the absolute path of the entry
 * @param outfile - where the bundle goes
 * @param tsconfig - the app's tsconfig, applied to every file (the monorepo's map #platform to Node)
 */
export async function bundleAsPublished(entry: string, outfile: string, tsconfig: string): Promise<void> {
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'browser', format: 'esm', target: 'es2022', tsconfig, logLevel: 'silent' });
}

/**
 * Leaves `import('node:…')` expressions alone (the compliance suite's Node-source tests load
 * node:stream and node:fs that way, and are skipped in a page) while a static `node:` import still
 * fails the bundle, as it would fail an app's.
 */
const lazyNodeImportsOnly: import('esbuild').Plugin = {
  name: 'lazy-node-imports-only',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};

/**
 * Core's `#platform` from source: the test tsconfig maps it to the Node side for jest and tsc, and
 * its paths would win over the package's `imports` conditions, which point at dist.
 */
const browserPlatformFromSource: import('esbuild').Plugin = {
  name: 'browser-platform-from-source',
  setup(b) {
    b.onResolve({ filter: /^#platform$/ }, () => ({ path: join(REPO_ROOT, 'packages/core/src/platform/browser.ts') }));
  },
};

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.png': 'image/png' };

/** Serves the files of `dir` on 127.0.0.1 at a free port. */
function serveFolder(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePromise(server));
  });
}
