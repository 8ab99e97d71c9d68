// Test harness for the browser tests: a private 码上说 server (fresh SQLite
// database and data directory, demo data) plus a headless Debian Chromium
// driven by playwright-core.
//
//   const stack = await startStack();
//   stack.baseURL, stack.demo ({reviewer, boxes}), stack.browser
//   stack.serverLog(), await stack.dataFiles(), await stack.stop()
//
// Environment knobs: MASHANGSHUO_BIN (server binary, default target/debug/mashangshuo),
// MASHANGSHUO_SITE_ROOT (default target/site; every other MASHANGSHUO_* is ignored),
// CHROMIUM_PATH (default /usr/bin/chromium), MSS_KEEP_TMP=1 (keep the temp dir),
// MSS_TEST_CLEANUP (set by scripts/test.sh: `pid N` and `dir PATH` lines are appended
// so that it can clean up after an interrupted run).

import { spawn, execFile } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'target', 'browser-tests');

// Flags known to work for Debian Chromium in a container (see the stack notes).
// playwright adds --headless and a fresh --user-data-dir itself.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Mobile phone, Chinese locale: how the QR codes are actually opened.
export const MOBILE_CONTEXT = {
  viewport: { width: 360, height: 740 },
  isMobile: true,
  locale: 'zh-CN',
};

// The office computer: what the leading group mostly works on.
export const DESKTOP_CONTEXT = {
  viewport: { width: 1280, height: 800 },
  isMobile: false,
  locale: 'zh-CN',
};

/** The two screen sizes every flow runs at. */
export const SIZES = [
  { name: 'phone', context: MOBILE_CONTEXT },
  { name: 'desktop', context: DESKTOP_CONTEXT },
];

/** The modes every resident flow runs in: each size with JavaScript on and off. */
export const RESIDENT_MODES = SIZES.flatMap((size) =>
  [true, false].map((js) => ({
    name: `${size.name}, JS ${js ? 'on' : 'off'}`,
    size: size.name,
    js,
    context: { ...size.context, javaScriptEnabled: js },
  })),
);

/** Upper bound for any single wait (hydration, navigation, selector). */
export const WAIT_MS = 20_000;

const HEALTH_TIMEOUT_MS = 15_000;
const DEMO_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

const log = (msg) => process.stderr.write(`[test] ${msg}\n`);

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

// Servers still running when node exits (crash, failed assertion) are killed.
const liveServers = new Set();
process.on('exit', () => {
  for (const child of liveServers) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Tells scripts/test.sh what to remove if this process dies without cleaning up. */
function recordForCleanup(line) {
  if (process.env.MSS_TEST_CLEANUP) appendFileSync(process.env.MSS_TEST_CLEANUP, `${line}\n`);
}

/** The single JSON object printed by `mashangshuo demo`. */
function parseDemo(stdout) {
  const text = stdout.trim();
  let demo;
  try {
    demo = JSON.parse(text);
  } catch {
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start < 0 || end < start) throw new Error(`demo printed no JSON object:\n${text}`);
    demo = JSON.parse(text.slice(start, end + 1));
  }
  if (!demo?.reviewer?.username || !demo?.reviewer?.password) {
    throw new Error(`demo JSON lacks reviewer.username/password:\n${text}`);
  }
  if (!Array.isArray(demo.boxes) || demo.boxes.length < 2 || !demo.boxes.every((b) => b?.url)) {
    throw new Error(`demo JSON needs at least two boxes with a url:\n${text}`);
  }
  return demo;
}

/** Every regular file under dir, recursively, as {path, data: Buffer}. */
async function readTree(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await readTree(path)));
    else if (entry.isFile()) out.push({ path, data: await readFile(path) });
  }
  return out;
}

export async function startStack() {
  const bin = process.env.MASHANGSHUO_BIN ?? join(REPO_ROOT, 'target', 'debug', 'mashangshuo');
  if (!existsSync(bin)) throw new Error(`${bin} not found: run \`cargo build -p mashangshuo\` first`);
  const siteRoot = process.env.MASHANGSHUO_SITE_ROOT ?? join(REPO_ROOT, 'target', 'site');
  if (!existsSync(join(siteRoot, 'pkg', 'manifest.json'))) {
    throw new Error(`${siteRoot}/pkg/manifest.json not found: run scripts/build-wasm.sh first`);
  }

  const tmp = await mkdtemp(join(tmpdir(), 'mss-browser-'));
  recordForCleanup(`dir ${tmp}`);
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;

  // A hermetic environment: nothing MASHANGSHUO_* or DATABASE_URL leaks in from the caller.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('MASHANGSHUO_') && k !== 'DATABASE_URL'),
  );
  Object.assign(env, {
    DATABASE_URL: `sqlite://${join(tmp, 'mss.db')}`,
    MASHANGSHUO_DATA_DIR: tmp,
    MASHANGSHUO_PUBLIC_URL: baseURL,
    MASHANGSHUO_SITE_ROOT: siteRoot,
    MASHANGSHUO_DEMO: 'off',
    // Batches are released by the tests (releaseWaiting), never by a timer.
    MASHANGSHUO_JOB_INTERVAL_SECS: '0',
  });

  const logChunks = [];
  const cspViolations = [];
  let server = null;
  let serverExited = null; // resolves with {code, signal}
  let browser = null;
  let stopped = false;

  const serverLog = () => Buffer.concat(logChunks).toString('utf8');

  const stopServer = async () => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    server.kill('SIGTERM');
    const timeout = delay(STOP_TIMEOUT_MS).then(() => 'timeout');
    if ((await Promise.race([serverExited, timeout])) === 'timeout') {
      log(`server did not stop within ${STOP_TIMEOUT_MS} ms: SIGKILL`);
      server.kill('SIGKILL');
      await serverExited;
    }
  };

  const closeBrowser = async () => {
    if (!browser) return;
    const b = browser;
    browser = null;
    await b.close().catch((e) => log(`browser close: ${e.message}`));
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await closeBrowser();
    await stopServer();
    if (process.env.MSS_KEEP_TMP === '1') log(`keeping ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
    assertNoCspViolations(cspViolations, 'this file');
  };

  try {
    // 1. Demo data: a reviewer account and boxes with their QR URLs.
    log(`demo data in ${tmp}`);
    let demoOut;
    try {
      demoOut = await promisify(execFile)(bin, ['demo'], {
        env,
        cwd: REPO_ROOT,
        timeout: DEMO_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (e) {
      throw new Error(`\`mashangshuo demo\` failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
    logChunks.push(Buffer.from(demoOut.stderr ?? ''));
    const demo = parseDemo(demoOut.stdout);

    // 2. The server, with stdout+stderr collected for the privacy checks.
    log(`serve on ${baseURL}`);
    server = spawn(bin, ['serve'], {
      env: { ...env, MASHANGSHUO_BIND: `127.0.0.1:${port}` },
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    liveServers.add(server);
    if (server.pid) recordForCleanup(`pid ${server.pid}`);
    serverExited = new Promise((resolveExit) => {
      server.on('exit', (code, signal) => {
        liveServers.delete(server);
        resolveExit({ code, signal });
      });
    });
    server.on('error', (e) => logChunks.push(Buffer.from(`[spawn error] ${e.message}\n`)));
    server.stdout.on('data', (c) => logChunks.push(c));
    server.stderr.on('data', (c) => logChunks.push(c));

    // 3. Wait until /healthz answers 200 (bounded poll).
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let exitInfo = null;
    serverExited.then((info) => (exitInfo = info));
    for (;;) {
      if (exitInfo) {
        throw new Error(`server exited early (${JSON.stringify(exitInfo)}):\n${serverLog()}`);
      }
      try {
        const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`GET /healthz did not answer 200 within ${HEALTH_TIMEOUT_MS} ms:\n${serverLog()}`);
      }
      await Promise.race([delay(100), serverExited]);
    }

    // 4. The browser; every context it makes reports Content-Security-Policy violations.
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const rawNewContext = browser.newContext.bind(browser);
    browser.newContext = async (options) => watchCsp(await rawNewContext(options), cspViolations);

    return {
      baseURL,
      port,
      tmp,
      demo,
      get browser() {
        return browser;
      },
      serverLog,
      /** Every Content-Security-Policy violation any page reported so far: `{url, text}`. */
      cspViolations,
      /** All files the server wrote under its temp dir (database, WAL, data dir). */
      dataFiles: () => readTree(tmp),
      dbPath: join(tmp, 'mss.db'),
      /** Releases every waiting opinion to the reviewers (`mashangshuo maintain`, batches of 1). */
      releaseWaiting: async () => {
        const out = await promisify(execFile)(bin, ['maintain'], {
          env: { ...env, MASHANGSHUO_BATCH_SIZE: '1' },
          cwd: REPO_ROOT,
          timeout: DEMO_TIMEOUT_MS,
        });
        logChunks.push(Buffer.from(out.stderr ?? ''));
        return JSON.parse(out.stdout);
      },
      stopServer,
      closeBrowser,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Makes `context` report every Content-Security-Policy violation into `violations`: the
 * browser's console report (also with JavaScript off) and, where scripts run, the
 * `securitypolicyviolation` event with the blocked directive and address.
 */
async function watchCsp(context, violations) {
  context.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|securitypolicyviolation/i.test(text)) {
      violations.push({ url: m.page()?.url() ?? '?', text });
    }
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} ` +
          `at ${e.sourceFile || '?'}:${e.lineNumber} sample ${e.sample}`,
      );
    });
  });
  return context;
}

/** Fails with every violation listed, when there is any. */
export function assertNoCspViolations(violations, where) {
  if (violations.length) {
    const list = violations.map((v) => `  ${v.url}: ${v.text}`).join('\n');
    throw new Error(`Content-Security-Policy violations in ${where}:\n${list}`);
  }
}

/**
 * Runs a test tool's script file (axe-core, jsQR) in the page through DevTools, as the test's
 * own code: a `<script>` tag would be refused by the page's Content-Security-Policy, as it must.
 */
export async function injectTool(page, path) {
  await page.evaluate(await readFile(path, 'utf8'));
}

/** Absolute URL for a path (or an already absolute URL) on the test server. */
export function urlOf(stack, path) {
  return new URL(path, stack.baseURL).toString();
}

/**
 * Runs fn({pageErrors, consoleErrors, watch}) and fails on any Content-Security-Policy violation
 * it caused; on failure saves a screenshot and the HTML of
 * each watched page (`page`, and any page passed to `watch`) under target/browser-tests/ and
 * appends their URLs and the server log tail to the error.
 */
export async function withDiagnostics(stack, page, name, fn) {
  const pageErrors = [];
  const consoleErrors = [];
  const pages = [];
  const watch = (p) => {
    pages.push(p);
    p.on('pageerror', (e) => pageErrors.push(e));
    p.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    return p;
  };
  watch(page);
  const cspBefore = stack.cspViolations.length;
  try {
    await fn({ pageErrors, consoleErrors, watch });
    assertNoCspViolations(stack.cspViolations.slice(cspBefore), name);
  } catch (e) {
    const slug = name.replace(/[^A-Za-z0-9_-]+/g, '_');
    let saved = '';
    for (const [i, p] of pages.entries()) {
      const base = join(ARTIFACTS_DIR, i === 0 ? slug : `${slug}-${i}`);
      try {
        await mkdir(ARTIFACTS_DIR, { recursive: true });
        await p.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 });
        await writeFile(`${base}.html`, await p.content());
        saved += `\npage URL: ${p.url()}\nsaved ${base}.png and ${base}.html`;
      } catch (shotError) {
        saved += `\npage URL: ${p.url()}\n(no screenshot: ${shotError.message})`;
      }
    }
    const tail = stack.serverLog().slice(-6_000);
    const extra =
      saved +
      (pageErrors.length ? `\npage errors:\n${pageErrors.map((x) => x.stack ?? x).join('\n')}` : '') +
      (consoleErrors.length ? `\nconsole errors:\n${consoleErrors.join('\n')}` : '') +
      `\n--- server log (tail) ---\n${tail}\n--- end of server log ---`;
    // The spec reporter prints the stack, TAP the message: keep them consistent.
    if (e instanceof Error) {
      const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
      e.message += extra;
      e.stack = [`${e.name}: ${e.message}`, ...frames].join('\n');
    }
    throw e;
  }
}

/** A browser context on the stack with the suite's timeouts. */
export async function newContext(stack, options) {
  const context = await stack.browser.newContext(options);
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  return context;
}

/**
 * Logs in on /staff/login as one of the demo accounts (`reviewer`, `admin`, `auditor`) and
 * waits until the login page is left.
 */
export async function logIn(stack, page, who = 'reviewer') {
  const { username, password } = stack.demo[who];
  await page.goto(urlOf(stack, '/staff/login'));
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form:has(input[name=password]) button[type=submit]').click();
  await page.waitForURL((url) => new URL(url).pathname !== '/staff/login');
}

/**
 * A context logged in as a demo account (`reviewer`, `admin`, `auditor`). Each account logs in
 * once per stack and its session is reused: the login rate limit would refuse a login per test.
 */
export async function staffContext(stack, who, options) {
  stack.sessions ??= {};
  if (!stack.sessions[who]) {
    const context = await newContext(stack, options);
    await logIn(stack, await context.newPage(), who);
    stack.sessions[who] = await context.storageState();
    await context.close();
  }
  return newContext(stack, { ...options, storageState: stack.sessions[who] });
}

/** Fails when the page scrolls sideways at its viewport width. */
export async function assertFits(page, what = page.url()) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  const viewport = page.viewportSize().width;
  if (wide > viewport) {
    throw new Error(`${what} scrolls sideways: scrollWidth ${wide} > viewport ${viewport}`);
  }
}

/** The token the page of box `code` hands out (its form's hidden `box_token` field). */
export async function boxToken(stack, code) {
  const page = await (await fetch(urlOf(stack, `/b/${code}`))).text();
  const found = page.match(/name="box_token" value="([^"]+)"/);
  if (!found) throw new Error(`no box_token on the page of box ${code}`);
  return found[1];
}

/** `body` with a fresh box-page token when `path` sends an opinion and `body` has none. */
export async function withBoxToken(stack, path, body) {
  const box = path.match(/^\/api\/v1\/boxes\/([^/?]+)\/opinions/);
  if (!box || body === undefined || body.box_token !== undefined) return body;
  return { ...body, box_token: await boxToken(stack, box[1]) };
}

/** Calls the JSON API (GET without a body, POST with one); returns the parsed answer. An opinion
 * gets its box page's token first, as a browser's would. */
export async function api(stack, path, body, token) {
  body = await withBoxToken(stack, path, body);
  const res = await fetch(urlOf(stack, path), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A staff API token for one of the demo accounts. */
export async function apiToken(stack, who = 'reviewer') {
  const { username, password } = stack.demo[who];
  return (await api(stack, '/api/v1/staff/login', { username, password })).token;
}
