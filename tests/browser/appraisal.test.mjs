// Mass appraisal in Chromium: a member opens a slip round and prints slips; the test decodes
// one slip's QR code from its PNG; a phone (360×740) scans it, answers with the face buttons,
// keeps its progress over a reload and sends; the member closes the round and the results
// count the answers.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { MOBILE_CONTEXT, startStack, urlOf, withDiagnostics } from './harness.mjs';

const WAIT_MS = 20_000;
const JSQR = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js');
const RATED = ['commitments', 'central_tasks', 'practical_deeds', 'team_building', 'overall'];

let stack;

async function newContext(options) {
  const context = await stack.browser.newContext(options);
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  return context;
}

/** `YYYY-MM-DD`, `days` from today (UTC, as the server counts). */
function dayFromNow(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The text of a QR code in a PNG data URL, decoded by jsQR in a blank page. */
async function decodeQr(context, dataUrl) {
  const page = await context.newPage();
  await page.setContent('<canvas id="c"></canvas>');
  await page.addScriptTag({ path: JSQR });
  const text = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    const canvas = document.getElementById('c');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return globalThis.jsQR(pixels.data, canvas.width, canvas.height)?.data ?? null;
  }, dataUrl);
  await page.close();
  return text;
}

describe('mass appraisal (Chromium)', { concurrency: 1 }, () => {
  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  it('prints slips, a phone scans one and answers, and the results count it', async () => {
    const office = await newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await office.newPage();
    await withDiagnostics(stack, page, 'appraisal-slips', async () => {
      const { username, password } = stack.demo.reviewer;
      await page.goto(urlOf(stack, '/staff/login'));
      await page.locator('input[name=username]').fill(username);
      await page.locator('input[name=password]').fill(password);
      await page.locator('form:has(input[name=password]) button[type=submit]').click();
      await page.waitForURL((url) => new URL(url).pathname === '/staff');

      // Open a slip round over the first organisation of the area.
      await page.goto(urlOf(stack, '/staff/appraisal'));
      const form = page.locator('[data-testid=new-round]');
      await form.locator('input[name=name]').fill('2026年下半年群众评议');
      await form.locator('select[name=questionnaire]').selectOption('template:organisation');
      await form.locator('input[name=closes_on]').fill(dayFromNow(30));
      await form.locator('[data-testid=round-units] input[type=checkbox]').first().check();
      await form.locator('button[type=submit]').click();
      await page.waitForURL(/\/staff\/appraisal\/[0-9a-f-]{36}/);
      const roundUrl = page.url().split('?')[0];

      // Print six slips: the sheet opens in a new tab.
      const slipForm = page.locator('[data-testid=slip-form]');
      await slipForm.locator('input[name=count]').fill('6');
      const [sheet] = await Promise.all([
        office.waitForEvent('page'),
        slipForm.locator('button[type=submit]').click(),
      ]);
      await sheet.waitForLoadState();
      const slips = sheet.locator('[data-testid=slip]');
      assert.equal(await slips.count(), 6);
      const images = sheet.locator('[data-testid=slip-qr]');
      const widths = await images.evaluateAll((imgs) => imgs.map((i) => i.naturalWidth));
      assert.ok(widths.every((w) => w >= 200), `QR images rendered: ${widths}`);
      const printed = (await sheet.locator('.slip .url').allTextContents()).map((t) => t.trim());
      const scanned = await decodeQr(office, await images.first().getAttribute('src'));
      assert.equal(scanned, printed[0], 'the first slip QR holds its printed address');

      // A phone scans the slip and answers with the face buttons.
      const phoneContext = await newContext(MOBILE_CONTEXT);
      const phone = await phoneContext.newPage();
      await withDiagnostics(stack, phone, 'appraisal-phone', async () => {
        await phone.goto(scanned);
        await phone.locator('html[data-hydrated]').waitFor({ state: 'attached' });
        await phone.locator('[data-testid=progress-kept]').waitFor({ state: 'visible' });
        const faces = phone.locator('label.face:has(input[value=satisfied])');
        assert.equal(await faces.count(), RATED.length);
        await faces.nth(0).click();
        await faces.nth(1).click();
        // The choices survive a reload: they are kept on the phone.
        await phone.reload();
        await phone.locator('[data-testid=progress-kept]').waitFor({ state: 'visible' });
        assert.ok(await faces.nth(0).locator('input').isChecked(), 'progress restored');
        for (let i = 2; i < RATED.length; i += 1) await faces.nth(i).click();
        await phone.locator('textarea').fill('村里的路灯请修一修');
        await phone.locator('[data-testid=appraisal-send]').click();
        await phone.locator('[data-testid=appraisal-thanks]').waitFor({ state: 'visible' });
        const body = await phone.locator('main').innerText();
        assert.ok(!body.includes('路灯') && !body.includes('满意'), 'the thank-you shows no answer');
        // The thank-you page's island stores the key once hydrated.
        await phone.waitForFunction(() =>
          Object.keys(localStorage).some((k) => k.startsWith('mss-change-')),
        );
        const kept = await phone.evaluate(() => Object.keys(localStorage));
        assert.ok(kept.some((k) => k.startsWith('mss-change-')), `change key kept: ${kept}`);
        assert.ok(!kept.some((k) => k.startsWith('mss-appraisal-')), 'draft cleared');
      });
      await phoneContext.close();

      // Four more people answer from their own slips.
      const formPage = await fetch(printed[1]).then((r) => r.text());
      const subject = formPage.match(/name="a\.([0-9a-f-]{36})\.overall"/)[1];
      for (const url of printed.slice(1, 5)) {
        const fields = new URLSearchParams(RATED.map((k) => [`a.${subject}.${k}`, 'satisfied']));
        const response = await fetch(url, { method: 'POST', body: fields });
        assert.equal(response.status, 200);
      }

      // No results until the round is over; then they count all five.
      await page.goto(roundUrl);
      assert.match(await page.locator('[data-testid=round-counts]').innerText(), /收回 5 份/);
      await page.locator('[data-testid=close-round] button').click();
      await page.waitForURL((url) => url.searchParams.get('saved') === '1');
      await page.locator('[data-testid=results-link]').click();
      const overall = page.locator('[data-testid=results-item-overall] tbody tr').first();
      const cells = await overall.locator('td').allTextContents();
      assert.deepEqual(cells.slice(0, 5), ['5', '0', '0', '0', '5']);
      assert.equal(cells[5], '100%');
      assert.match(await page.locator('[data-testid=response-rate]').innerText(), /收回率 83.3%/);
      await page.locator('[data-testid=results-chart] rect').first().waitFor({ state: 'attached' });
      assert.match(await page.locator('[data-testid=suggestions]').innerText(), /路灯/);
    });
    await office.close();
  });
});
