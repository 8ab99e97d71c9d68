// Mass appraisal in Chromium, at phone (360×740) and desktop (1280×800) size: a member opens a
// slip round and prints slips; the test decodes one slip's QR code from its PNG; villagers
// answer with the face buttons with JavaScript on (progress kept over a reload) and off, and
// change their answers with the change key; the member closes the round and the results count
// the answers.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { RESIDENT_MODES, SIZES, api, apiToken, assertFits, injectTool, newContext, staffContext, startStack, urlOf, withDiagnostics } from './harness.mjs';

const JSQR = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js');
const RATED = ['commitments', 'central_tasks', 'practical_deeds', 'team_building', 'overall'];

let stack;

/** Chooses `rating` for every rated item of the form on the page. */
async function rateAll(page, rating) {
  const faces = page.locator(`label.face:has(input[value=${rating}])`);
  assert.equal(await faces.count(), RATED.length);
  for (let i = 0; i < RATED.length; i += 1) await faces.nth(i).click();
}

/**
 * A villager in `mode` answers the slip at `url`, then changes the answers with the change key:
 * with JavaScript the phone fills the key in, without it the villager copies the key shown.
 */
async function answerAndChange(mode, url) {
  const context = await newContext(stack, mode.context);
  const phone = await context.newPage();
  await withDiagnostics(stack, phone, `appraisal-${mode.name}`, async ({ pageErrors }) => {
    await phone.goto(url);
    if (mode.js) {
      await phone.locator('html[data-hydrated]').waitFor({ state: 'attached' });
      await phone.locator('[data-testid=progress-kept]').waitFor({ state: 'visible' });
      const faces = phone.locator('label.face:has(input[value=satisfied])');
      await faces.nth(0).click();
      await faces.nth(1).click();
      // The choices survive a reload: they are kept on the phone.
      await phone.reload();
      await phone.locator('[data-testid=progress-kept]').waitFor({ state: 'visible' });
      assert.ok(await faces.nth(0).locator('input').isChecked(), 'progress restored');
    }
    await rateAll(phone, 'satisfied');
    await phone.locator('textarea').first().fill('村里的路灯请修一修');
    await phone.locator('[data-testid=appraisal-send]').click();
    await phone.locator('[data-testid=appraisal-thanks]').waitFor({ state: 'visible' });
    const body = await phone.locator('main').innerText();
    assert.ok(!body.includes('路灯') && !body.includes('满意'), 'the thank-you shows no answer');
    const key = (await phone.locator('[data-testid=change-code]').textContent()).trim();
    assert.ok(key.length >= 16, `a change key is shown: ${key}`);
    if (mode.js) {
      // The thank-you page's island keeps the key once hydrated, and forgets the draft.
      await phone.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('mss-change-')));
      const kept = await phone.evaluate(() => Object.keys(localStorage));
      assert.ok(!kept.some((k) => k.startsWith('mss-appraisal-')), `draft cleared: ${kept}`);
    }

    // The villager thinks again: the overall rating becomes 比较满意.
    await phone.locator('[data-testid=change-link]').click();
    const keyField = phone.locator('[data-testid=change-key]');
    if (mode.js) {
      await phone.waitForFunction((el) => el.value.length > 0, await keyField.elementHandle());
      assert.equal(await keyField.inputValue(), key, 'the phone filled in its change key');
    } else {
      await keyField.fill(key);
    }
    await rateAll(phone, 'satisfied');
    await phone.locator(`label.face:has(input[value=fairly_satisfied])`).nth(RATED.indexOf('overall')).click();
    // A change replaces every answer, the written one too.
    await phone.locator('textarea').first().fill('村里的路灯请修一修,晚上太黑');
    await phone.locator('[data-testid=appraisal-send]').click();
    await phone.locator('[data-testid=appraisal-thanks]').waitFor({ state: 'visible' });
    assert.equal(await phone.locator('[data-testid=change-code]').count(), 0, 'no new key after a change');
    assert.deepEqual(pageErrors.map((e) => String(e)), []);
  });
  await context.close();
}

/** `YYYY-MM-DD`, `days` from today in China (UTC+8), as the server counts. */
function dayFromNow(days) {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** The text of a QR code in a PNG data URL, decoded by jsQR in a blank page. */
async function decodeQr(context, dataUrl) {
  const page = await context.newPage();
  await page.setContent('<canvas id="c"></canvas>');
  await injectTool(page, JSQR);
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

describe('mass appraisal (Chromium, phone and desktop)', { concurrency: 1 }, () => {
  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  for (const size of SIZES) {
    it(`${size.name}: slips are printed, villagers answer and change with JS on and off, the results count them`, { timeout: 120_000 }, async () => {
      const office = await staffContext(stack, 'reviewer', size.context);
      const page = await office.newPage();
      await withDiagnostics(stack, page, `appraisal-slips-${size.name}`, async () => {
        // Open a slip round over the first organisation of the area.
        await page.goto(urlOf(stack, '/staff/appraisal'));
        const form = page.locator('[data-testid=new-round]');
        await form.locator('input[name=name]').fill(`2026年下半年群众评议(${size.name})`);
        await form.locator('select[name=questionnaire]').selectOption('template:organisation');
        await form.locator('input[name=closes_on]').fill(dayFromNow(30));
        await form.locator('[data-testid=round-units] input[type=checkbox]').first().check();
        await form.locator('button[type=submit]').click();
        await page.waitForURL(/\/staff\/appraisal\/[0-9a-f-]{36}/);
        const roundUrl = page.url().split('?')[0];

        // Print twelve slips: the sheet opens in a new tab.
        const slipForm = page.locator('[data-testid=slip-form]');
        await slipForm.locator('input[name=count]').fill('12');
        const [sheet] = await Promise.all([office.waitForEvent('page'), slipForm.locator('button[type=submit]').click()]);
        await sheet.waitForLoadState();
        assert.equal(await sheet.locator('[data-testid=slip]').count(), 12);
        const images = sheet.locator('[data-testid=slip-qr]');
        const widths = await images.evaluateAll((imgs) => imgs.map((i) => i.naturalWidth));
        assert.ok(widths.every((w) => w >= 200), `QR images rendered: ${widths}`);
        const printed = (await sheet.locator('.slip .url').allTextContents()).map((t) => t.trim());
        const scanned = await decodeQr(office, await images.first().getAttribute('src'));
        assert.equal(scanned, printed[0], 'the first slip QR holds its printed address');

        // Two villagers at this size, one with JavaScript and one without, answer and change.
        const modes = RESIDENT_MODES.filter((m) => m.size === size.name);
        for (const [i, mode] of modes.entries()) await answerAndChange(mode, i === 0 ? scanned : printed[i]);

        // Eight more people answer from their own slips, three of them 比较满意 overall: each
        // level then has enough answers to be shown (smaller counts are hidden).
        const formPage = await fetch(printed[2]).then((r) => r.text());
        const subject = formPage.match(/name="a\.([0-9a-f-]{36})\.overall"/)[1];
        for (const [i, url] of printed.slice(2, 10).entries()) {
          const overall = i < 3 ? 'fairly_satisfied' : 'satisfied';
          const fields = new URLSearchParams(
            RATED.map((k) => [`a.${subject}.${k}`, k === 'overall' ? overall : 'satisfied']),
          );
          const response = await fetch(url, { method: 'POST', body: fields });
          assert.equal(response.status, 200);
        }

        // No results until the round is over; then they count all ten, with the changes.
        await page.goto(roundUrl);
        assert.match(await page.locator('[data-testid=round-counts]').innerText(), /收回 10 份/);
        await page.locator('[data-testid=close-round] button').click();
        await page.waitForURL((url) => url.searchParams.get('saved') === '1');
        await page.locator('[data-testid=results-link]').click();
        const overall = page.locator('[data-testid=results-item-overall] tbody tr').first();
        const cells = await overall.locator('td').allTextContents();
        assert.deepEqual(cells.slice(0, 5), ['5', '5', '0', '0', '10']);
        assert.match(await page.locator('[data-testid=response-rate]').innerText(), /收回率 83.3%/);
        await page.locator('[data-testid=results-chart] rect').first().waitFor({ state: 'attached' });
        assert.match(await page.locator('[data-testid=suggestions]').innerText(), /路灯/);
        await assertFits(page, 'the results');
      });
      await office.close();
    });
  }

  it('a poster round is answered in every resident mode and the results count each answer', { timeout: 120_000 }, async () => {
    const token = await apiToken(stack);
    const overview = await api(stack, '/api/v1/staff/appraisal', undefined, token);
    const today = dayFromNow(0);
    const { id: round } = await api(
      stack,
      '/api/v1/staff/appraisal/rounds',
      {
        name: '海报评议',
        questionnaire: 'template:organisation',
        mode: 'open',
        opens_on: today,
        closes_on: today,
        subjects: [overview.units[1].id],
      },
      token,
    );
    const view = await api(stack, `/api/v1/staff/appraisal/rounds/${round}`, undefined, token);
    for (const mode of RESIDENT_MODES) {
      const context = await newContext(stack, mode.context);
      const phone = await context.newPage();
      await withDiagnostics(stack, phone, `appraisal-poster-${mode.name}`, async ({ pageErrors }) => {
        await phone.goto(view.public_url);
        if (mode.js) await phone.locator('[data-testid=progress-kept]').waitFor({ state: 'visible' });
        await assertFits(phone, 'the appraisal form');
        // With an item left out, the browser itself holds the form back…
        const faces = phone.locator('label.face:has(input[value=basically_satisfied])');
        for (let i = 0; i < RATED.length - 1; i += 1) await faces.nth(i).click();
        const form = phone.locator('#appraisal-form');
        assert.equal(await form.evaluate((f) => f.checkValidity()), false, 'the browser finds the gap');
        // …and a browser that does not check is answered by the server, in plain words, with
        // every choice made kept.
        await form.evaluate((f) => {
          f.noValidate = true;
        });
        await phone.locator('[data-testid=appraisal-send]').click();
        await phone.locator('[data-testid=appraisal-error]').waitFor({ state: 'visible' });
        assert.match(await phone.locator('[data-testid=appraisal-error]').innerText(), /[\u4e00-\u9fff]/);
        assert.ok(await faces.nth(0).locator('input').isChecked(), 'the choices made are kept');
        await faces.nth(RATED.length - 1).click();
        await phone.locator('[data-testid=appraisal-send]').click();
        await phone.locator('[data-testid=appraisal-thanks]').waitFor({ state: 'visible' });
        await assertFits(phone, 'the thank-you page');
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
      await context.close();
    }
    // A fifth answer, so that the counts may be shown.
    const formPage = await fetch(view.public_url).then((r) => r.text());
    const subject = formPage.match(/name="a\.([0-9a-f-]{36})\.overall"/)[1];
    const fields = new URLSearchParams(RATED.map((k) => [`a.${subject}.${k}`, 'basically_satisfied']));
    assert.equal((await fetch(view.public_url, { method: 'POST', body: fields })).status, 200);
    await api(stack, `/api/v1/staff/appraisal/rounds/${round}/close`, {}, token);
    const results = await api(stack, `/api/v1/staff/appraisal/rounds/${round}/results`, undefined, token);
    assert.equal(results.responses, RESIDENT_MODES.length + 1);
    assert.deepEqual(results.overall.counts, [0, 0, (RESIDENT_MODES.length + 1) * RATED.length, 0]);
  });
});
