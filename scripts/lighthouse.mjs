#!/usr/bin/env node
// Lighthouse (npm `lighthouse`, Debian Chromium) on the box page as a phone loads it: prints the
// mobile scores against the targets (Accessibility 100, Best Practices 100, Performance ≥ 95).
// A report, not a pass/fail test; the JSON report goes to target/lighthouse/box-page.json.
//
//   cargo build -p mashangshuo && scripts/build-wasm.sh && node scripts/lighthouse.mjs

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_ARGS, REPO_ROOT, startStack } from '../tests/browser/harness.mjs';

const TARGETS = { performance: 95, accessibility: 100, 'best-practices': 100 };

const stack = await startStack();
let chrome;
try {
  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
  });
  const url = stack.demo.boxes[0].url;
  const result = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: Object.keys(TARGETS),
    formFactor: 'mobile',
  });
  const out = join(REPO_ROOT, 'target', 'lighthouse');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'box-page.json'), result.report);
  console.log('Lighthouse, mobile, box page (simulated slow 4G, 4× CPU slowdown):');
  for (const [id, target] of Object.entries(TARGETS)) {
    const score = Math.round((result.lhr.categories[id]?.score ?? 0) * 100);
    console.log(`  ${id.padEnd(16)} ${String(score).padStart(3)}  target ${target}  ${score >= target ? 'ok' : 'UNDER'}`);
  }
  const failing = Object.values(result.lhr.audits).filter(
    (a) => a.score !== null && a.score < 1 && ['binary', 'numeric'].includes(a.scoreDisplayMode) && a.details?.type !== 'opportunity',
  );
  for (const a of failing.slice(0, 12)) console.log(`    ${a.id}: ${a.title} (${Math.round(a.score * 100)})`);
} finally {
  await chrome?.kill();
  await stack.stop();
}
