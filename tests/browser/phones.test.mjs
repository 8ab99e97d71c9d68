// Made for villagers' phones: the read-aloud button speaks the page in its language where the
// browser can speak, and stays out of the way where it cannot or JavaScript is off.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MOBILE_CONTEXT, startStack, urlOf, withDiagnostics } from './harness.mjs';

const WAIT_MS = 20_000;

let stack;

/** Records what would be spoken instead of speaking (headless Chromium has no voices). */
function recordSpeech() {
  window.__spoken = [];
  if (window.speechSynthesis) {
    window.speechSynthesis.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
  }
}

describe('phones (mobile Chromium)', { concurrency: 1 }, () => {
  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  it('reads the box page and the status page aloud in their language', { timeout: 60_000 }, async () => {
    const context = await stack.browser.newContext(MOBILE_CONTEXT);
    context.setDefaultTimeout(WAIT_MS);
    await context.addInitScript(recordSpeech);
    const page = await context.newPage();
    await withDiagnostics(stack, page, 'read-aloud', async () => {
      await page.goto(stack.demo.boxes[0].url);
      const button = page.locator('[data-testid=read-aloud]');
      await button.waitFor({ state: 'visible' });
      assert.match(await button.innerText(), /朗读/);
      await button.click();
      const spoken = await page.evaluate(() => window.__spoken);
      assert.equal(spoken.length, 1);
      assert.equal(spoken[0].lang, 'zh-CN');
      assert.match(spoken[0].text, /意见/);

      await page.goto(urlOf(stack, '/r?lang=en'));
      await button.waitFor({ state: 'visible' });
      await button.click();
      const english = await page.evaluate(() => window.__spoken);
      assert.equal(english[0].lang, 'en');
    });
    await context.close();
  });

  it('shows no read-aloud button with JavaScript off', { timeout: 60_000 }, async () => {
    const context = await stack.browser.newContext({ ...MOBILE_CONTEXT, javaScriptEnabled: false });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    await withDiagnostics(stack, page, 'read-aloud-no-js', async () => {
      await page.goto(stack.demo.boxes[0].url);
      await page.locator('form[data-testid=opinion-form]').waitFor({ state: 'visible' });
      assert.equal(await page.locator('[data-testid=read-aloud]').isVisible(), false);
    });
    await context.close();
  });
});
