// Made for villagers' phones: the read-aloud button speaks the page in its language where the
// browser can speak, and stays out of the way where it cannot or JavaScript is off.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MOBILE_CONTEXT, startStack, urlOf, withBoxToken, withDiagnostics } from './harness.mjs';

const WAIT_MS = 20_000;

let stack;

// WeChat's in-app browser (XWEB) and an old Android WebView, as their user agents announce them.
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 10; V1938T Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220903 Mobile Safari/537.36 MMWEBID/6170 MicroMessenger/8.0.28.2240(0x28001C35) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';
const OLD_WEBVIEW_UA =
  'Mozilla/5.0 (Linux; Android 5.1.1; SM-J111F Build/LMY47V; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/43.0.2357.121 Mobile Safari/537.36';

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

  it('the reviewer pages fit a 360 px phone', { timeout: 120_000 }, async () => {
    // An opinion, released, merged into an issue with a measure, through the API.
    const api = async (path, body, token) => {
      body = await withBoxToken(stack, path, body);
      const res = await fetch(urlOf(stack, path), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      assert.ok(res.ok, `${path}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const code = new URL(stack.demo.boxes[0].url).pathname.split('/').pop();
    await api(`/api/v1/boxes/${code}/opinions`, { category: 'suggestion', text: '窄屏测试：村道坑洼需要修补' });
    await stack.releaseWaiting();
    const { username, password } = stack.demo.reviewer;
    const { token } = await api('/api/v1/staff/login', { username, password });
    const list = await (await fetch(urlOf(stack, '/api/v1/staff/opinions'), { headers: { Authorization: `Bearer ${token}` } })).json();
    const opinion = list.opinions?.[0]?.id ?? list[0]?.id;
    assert.ok(opinion, JSON.stringify(list).slice(0, 200));
    const { id: issue } = await api('/api/v1/staff/issues', { title: '村道坑洼', opinions: [opinion] }, token);
    await api(`/api/v1/staff/issues/${issue}/measures`, { text: '修补村道', responsible: '张德明', due_on: '2099-01-01' }, token);

    const context = await stack.browser.newContext(MOBILE_CONTEXT);
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    await withDiagnostics(stack, page, 'reviewer-360', async () => {
      await page.goto(urlOf(stack, '/staff/login'));
      await page.locator('input[name=username]').fill(username);
      await page.locator('input[name=password]').fill(password);
      await page.locator('form:has(input[name=password]) button[type=submit]').click();
      await page.waitForURL((url) => new URL(url).pathname === '/staff');
      const wide = [];
      for (const path of ['/staff', `/staff/opinions/${opinion}`, `/staff/issues/${issue}`, '/staff/issues', '/staff/ledger']) {
        await page.goto(urlOf(stack, path));
        const { scroll, inner } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: window.innerWidth,
        }));
        if (scroll > inner) wide.push(`${path}: ${scroll} px wide in a ${inner} px window`);
      }
      assert.deepEqual(wide, []);
    });
    await context.close();
  });

  for (const [browser, userAgent] of [['WeChat', WECHAT_UA], ['an old Android WebView', OLD_WEBVIEW_UA]]) {
    it(`sends an opinion from ${browser} with the WASM blocked, using nothing from elsewhere`, { timeout: 60_000 }, async () => {
      const context = await stack.browser.newContext({ ...MOBILE_CONTEXT, userAgent });
      context.setDefaultTimeout(WAIT_MS);
      await context.route('**/*.wasm', (route) => route.abort());
      const page = await context.newPage();
      const elsewhere = [];
      page.on('request', (req) => {
        if (!req.url().startsWith(stack.baseURL) && !req.url().startsWith('data:')) elsewhere.push(req.url());
      });
      await withDiagnostics(stack, page, `no-wasm-${browser}`, async () => {
        await page.goto(stack.demo.boxes[0].url);
        const form = page.locator('form[data-testid=opinion-form]');
        await form.locator('input[name=category][value=suggestion]').check();
        await form.locator('textarea[name=text]').fill(`${browser}里提交的意见：村里的水渠堵了`);
        await form.locator('button[type=submit]').click();
        const receipt = page.locator('[data-testid=receipt]');
        await receipt.waitFor({ state: 'visible' });
        assert.match((await receipt.innerText()).replace(/\s+/g, ''), /^\d{16}$/);
        assert.equal(await page.evaluate(() => document.documentElement.dataset.hydrated ?? null), null);
      });
      await context.close();
      assert.deepEqual(elsewhere, [], 'no font, script or style from another server');
    });
  }
});
