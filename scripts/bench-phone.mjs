#!/usr/bin/env node
// The box page on a weak network, as a villager's phone sees it: prints figures against the
// targets of the "made for villagers' phones" work (a benchmark, not a pass/fail test).
//
//   cargo build -p mashangshuo && scripts/build-wasm.sh && node scripts/bench-phone.mjs
//
// Measured in Debian Chromium at 360×740 through the real server (fresh SQLite, demo data):
//   - the box page's HTML as served (brotli), before any script;
//   - everything the page loads, WASM included, as transferred;
//   - with DevTools throttling (400 kbit/s both ways, 400 ms round trip): the time until the
//     form can be used (server-rendered, so before the WASM), until the islands are hydrated,
//     and from pressing submit until the receipt shows.
// Each throttled figure is the median of RUNS page loads (default 3; MSS_BENCH_RUNS).

import { get } from 'node:http';
import { MOBILE_CONTEXT, startStack } from '../tests/browser/harness.mjs';

const RUNS = Number(process.env.MSS_BENCH_RUNS ?? 3);
const KBIT = 1024 / 8; // bytes per second in one kbit/s
const THROTTLE = {
  offline: false,
  latency: 400,
  downloadThroughput: 400 * KBIT,
  uploadThroughput: 400 * KBIT,
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** One throttled visit: load, use, hydrate, submit; returns the timings and bytes. */
async function visit(stack, url, n) {
  const context = await stack.browser.newContext(MOBILE_CONTEXT);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  let transferred = 0;
  cdp.on('Network.loadingFinished', (e) => {
    transferred += e.encodedDataLength;
  });
  const start = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  const textarea = page.locator('textarea[name=text]');
  await textarea.waitFor({ state: 'visible', timeout: 60_000 });
  const usable = Date.now() - start;
  await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached', timeout: 120_000 });
  const hydrated = Date.now() - start;
  const loaded = transferred;
  const form = page.locator('form[data-testid=opinion-form]');
  await form.locator('input[name=category][value=suggestion]').check();
  await textarea.fill(`弱网测试意见 ${n}：村里的路灯坏了`);
  const pressed = Date.now();
  await form.locator('button[type=submit]').click();
  await page.locator('[data-testid=receipt]').waitFor({ state: 'visible', timeout: 60_000 });
  const receipt = Date.now() - pressed;
  await context.close();
  return { usable, hydrated, receipt, loaded };
}

const stack = await startStack();
try {
  const url = stack.demo.boxes[0].url;
  const htmlBytes = (await (await fetch(url)).arrayBuffer()).byteLength;
  // node:http does not decode, so this is the length as it travels.
  const [raw, encoding] = await new Promise((resolve, reject) => {
    get(url, { headers: { 'Accept-Encoding': 'br' } }, (res) => {
      let n = 0;
      res.on('data', (c) => {
        n += c.length;
      });
      res.on('end', () => resolve([n, res.headers['content-encoding'] ?? 'none']));
    }).on('error', reject);
  });

  const runs = [];
  for (let n = 0; n < RUNS; n += 1) runs.push(await visit(stack, url, n));
  const pick = (k) => median(runs.map((r) => r[k]));
  const rows = [
    ['box page HTML (critical CSS inline), compressed', kb(raw), '≤ 30 KB', raw <= 30 * 1024],
    ['box page HTML, uncompressed', kb(htmlBytes), '', true],
    ['whole page with WASM, transferred', kb(pick('loaded')), '≤ 250 KB', pick('loaded') <= 250 * 1024],
    ['form usable (400 kbit/s, 400 ms RTT)', secs(pick('usable')), '< 3 s', pick('usable') < 3000],
    ['islands hydrated (same network)', secs(pick('hydrated')), '', true],
    ['receipt after pressing submit', secs(pick('receipt')), '< 2 s', pick('receipt') < 2000],
  ];
  console.log(`box page on a weak network: median of ${RUNS} runs, HTML served as ${encoding}`);
  for (const [what, figure, target, met] of rows) {
    const mark = target ? (met ? 'ok' : 'OVER') : '';
    console.log(`  ${what.padEnd(52)} ${figure.padStart(10)}  ${target.padEnd(9)} ${mark}`);
  }
} finally {
  await stack.stop();
}
