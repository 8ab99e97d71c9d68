// Nothing typed is lost, at phone and desktop size: the draft survives a reload, and when the
// connection drops after the server got the opinion but before the page got the receipt, the
// page says so, sends again by itself, shows the receipt, and the opinion is stored once. This
// is the island's work, so it needs JavaScript; without it the form's hidden submission key
// makes a browser's resubmission store nothing twice (server/tests/it/resending.rs).
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SIZES, newContext, startStack, withDiagnostics } from './harness.mjs';

let stack;

describe('resending on a weak network (Chromium, phone and desktop)', { concurrency: 1 }, () => {
  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  for (const size of SIZES) {
    it(`${size.name}: keeps the draft over a reload and stores a resent opinion once`, { timeout: 120_000 }, async () => {
      const context = await newContext(stack, size.context);
      const page = await context.newPage();
      await withDiagnostics(stack, page, `resend-${size.name}`, async () => {
        const box = stack.demo.boxes[0].url;
        await page.goto(box);
        await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        const form = page.locator('form[data-testid=opinion-form]');
        const text = '路灯坏了，晚上出门很不方便';
        await form.locator('input[name=category][value=suggestion]').check();
        await form.locator('textarea[name=text]').fill(text);
        const key = await form.locator('input[name=submission_key]').inputValue();
        assert.match(key, /^[0-9a-f]{32}$/);

        // A reload (or the browser closing) gives it all back, with the same key.
        await page.reload();
        await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        await page.locator('[data-testid=draft-restored]').waitFor({ state: 'visible' });
        assert.equal(await form.locator('textarea[name=text]').inputValue(), text);
        assert.ok(await form.locator('input[name=category][value=suggestion]').isChecked());
        assert.equal(await form.locator('input[name=submission_key]').inputValue(), key);

        // The first send reaches the server, but its answer is lost on the way back.
        let sends = 0;
        await page.route('**/api/v1/boxes/*/opinions*', async (route) => {
          sends += 1;
          if (sends === 1) {
            await route.fetch();
            await route.abort('connectionreset');
          } else {
            await route.continue();
          }
        });
        await form.locator('button[type=submit]').click();
        const retrying = page.locator('[data-testid=form-retrying]');
        await retrying.waitFor({ state: 'visible' });
        assert.match(await retrying.innerText(), /正在重新发送/);
        const receipt = page.locator('[data-testid=receipt]');
        await receipt.waitFor({ state: 'visible' });
        assert.match((await receipt.innerText()).replace(/\s+/g, ''), /^\d{16}$/);
        assert.equal(sends, 2, 'one lost answer, one retry');

        // The draft is gone once acknowledged, and the server stored one opinion.
        const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mss-draft')));
        assert.deepEqual(kept, []);
        const report = await stack.releaseWaiting();
        assert.equal(report.report.released, 1, JSON.stringify(report));
      });
      await context.close();
    });
  }
});
