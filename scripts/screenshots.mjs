#!/usr/bin/env node
// Regenerates the phone-size screenshots under docs/screenshots/ that the README shows:
// the main resident and reviewer pages at 360×740 in Chinese, on a fresh server with demo data.
//
//   cargo build -p mashangshuo && scripts/build-wasm.sh && node scripts/screenshots.mjs

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MOBILE_CONTEXT, REPO_ROOT, api, apiToken, logIn, startStack, urlOf } from '../tests/browser/harness.mjs';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const WAIT_MS = 30_000;

const stack = await startStack();
try {
  await mkdir(OUT, { recursive: true });
  const context = await stack.browser.newContext(MOBILE_CONTEXT);
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  const shot = async (name) => {
    await page.screenshot({ path: join(OUT, `${name}.png`) });
    process.stderr.write(`[shots] ${name}.png\n`);
  };

  // Resident: the box page, the receipt, the status page with a reply.
  await page.goto(stack.demo.boxes[0].url);
  await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
  await shot('box-page');
  const form = page.locator('form[data-testid=opinion-form]');
  await form.locator('input[name=category][value=suggestion]').check();
  await form.locator('textarea[name=text]').fill('村口的路灯坏了一个多月，晚上老人出门很不方便，希望尽快修好。');
  await form.locator('button[type=submit]').click();
  const receipt = page.locator('[data-testid=receipt]');
  await receipt.waitFor({ state: 'visible' });
  await shot('receipt');
  const code = (await receipt.innerText()).replace(/\s+/g, '');

  await stack.releaseWaiting();
  const token = await apiToken(stack);
  const list = await api(stack, '/api/v1/staff/opinions', undefined, token);
  const opinion = (list.opinions ?? list)[0].id;
  const { id: issue } = await api(stack, '/api/v1/staff/issues', { title: '村口路灯损坏', opinions: [opinion] }, token);
  await api(stack, `/api/v1/staff/issues/${issue}/measures`, { text: '更换路灯', responsible: '张德明', due_on: '2099-01-01' }, token);

  await page.goto(urlOf(stack, '/r'));
  await page.locator('input[name=receipt]').fill(code);
  await page.locator('form:has(input[name=receipt]) button[type=submit]').click();
  await page.locator('[data-testid=opinion-state]').waitFor({ state: 'visible' });
  await shot('status');

  // An appraisal form.
  const overview = await api(stack, '/api/v1/staff/appraisal', undefined, token);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const { id: round } = await api(
    stack,
    '/api/v1/staff/appraisal/rounds',
    { name: `${today.slice(0, 4)}年群众评议`, questionnaire: 'template:organisation', mode: 'open', opens_on: today, closes_on: today, subjects: [overview.units[1].id] },
    token,
  );
  const view = await api(stack, `/api/v1/staff/appraisal/rounds/${round}`, undefined, token);
  await page.goto(urlOf(stack, new URL(view.public_url).pathname));
  await shot('appraisal-form');

  // Reviewer: the inbox, an opinion, the issue with its measure.
  await logIn(stack, page, 'reviewer');
  await shot('staff-inbox');
  await page.goto(urlOf(stack, `/staff/opinions/${opinion}`));
  await shot('staff-opinion');
  await page.goto(urlOf(stack, `/staff/issues/${issue}`));
  await shot('staff-issue');
  await context.close();
} finally {
  await stack.stop();
}
