// Hostile input in a real browser (issue 16, point 1): text built to break out of every HTML
// context is typed into the box form (JavaScript on and off: the confirmation step, a refused
// contact that comes back refilled, then sent) and, as a reviewer, into a reply draft, a
// question, an issue's reply, a measure and its evidence, and a notice draft. Every page is
// watched: a call of `__mss_xss`, an assignment to `window.__mss_xss`, a call of `_` (the short
// payloads' handler) or a dialog means typed text ran. Every textarea must show exactly what
// was typed, after a reload and after the server sent the form back.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/hostile.test.mjs

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { RESIDENT_MODES, api, apiToken, newContext, staffContext, startStack, urlOf, withDiagnostics } from './harness.mjs';

let stack;
const contexts = new Set(); // closed after each test
let counter = 10;

/**
 * Text that breaks out of a textarea, a double- and a single-quoted attribute, a title and a
 * script, opens a comment and a CDATA end, and carries `{{…}}`, U+2028 and already-escaped
 * text; `n` numbers it, so that whatever runs says which field it came from.
 */
function hostile(label) {
  const n = counter++;
  const text =
    `⚑${n}</textarea><script>window.__mss_xss=${n}</script>"><img src=x onerror=__mss_xss(${n})>` +
    `'><svg onload=__mss_xss(${n})></title></script><script>__mss_xss(${n})</script><!--]]>{{${n}}}\u2028&lt;script&gt;`;
  return { n, label, text };
}

/** At most 100 characters: titles. */
function hostileTitle(label) {
  const n = counter++;
  const text = `⚑${n}</title></textarea><script>__mss_xss(${n})</script>"'><img src=x onerror=__mss_xss(${n})>&lt;`;
  return { n, label, text };
}

/**
 * A context whose pages report typed text that runs: `ran` collects what happened, with the
 * page's address. `__mss_xss` and `_` are traps defined before any page script.
 */
async function watchedContext(options, ran) {
  const context = await newContext(stack, options);
  contexts.add(context);
  await context.exposeBinding('__mss_report', ({ page }, what) => ran.push(`${page?.url() ?? '?'}: ${what}`));
  await context.addInitScript(() => {
    const report = (what) => window.__mss_report?.(String(what));
    const trap = (name) =>
      Object.defineProperty(window, name, {
        configurable: false,
        get: () => (n) => report(`${name}(${n}) was called`),
        set: (v) => report(`window.${name} was set to ${v}`),
      });
    trap('__mss_xss');
    trap('_');
  });
  return context;
}

/** Records and dismisses any dialog on `page`. */
function watchDialogs(page, ran) {
  page.on('dialog', async (dialog) => {
    ran.push(`${page.url()}: a ${dialog.type()} dialog said ${JSON.stringify(dialog.message())}`);
    await dialog.dismiss().catch(() => {});
  });
}

/**
 * What the page's DOM holds that typed text may have made (read through DevTools, so also with
 * JavaScript off): event-handler attributes, javascript: addresses, scripts mentioning the
 * traps, and elements whose attribute names are not names.
 */
async function injected(page) {
  await page.waitForLoadState('load');
  return page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
      for (const { name, value } of el.attributes) {
        if (/^on/i.test(name)) found.push(`<${el.localName} ${name}="${value}">`);
        if (!/^[a-z0-9_:.-]+$/i.test(name)) found.push(`<${el.localName}> has an attribute named ${JSON.stringify(name)}`);
        if (/^(href|src|action|formaction)$/i.test(name) && /^\s*javascript:/i.test(value)) {
          found.push(`<${el.localName} ${name}="${value}">`);
        }
      }
      if (el.localName === 'script' && /__mss_xss|⚑/.test(el.textContent)) found.push(`<script>${el.textContent}</script>`);
    }
    return found;
  });
}

/** Asserts the page holds nothing made of typed text and nothing ran. */
async function assertInert(page, ran, where) {
  assert.deepEqual(
    { injected: await injected(page), ran },
    { injected: [], ran: [] },
    `${where}: no element, handler or script made of typed text, and nothing typed ran`,
  );
}

/**
 * Asserts the page is inert (see assertInert) and that each `[field, payload]` shows exactly
 * what was typed into it.
 */
async function assertTyped(page, ran, where, fields) {
  await assertInert(page, ran, where);
  for (const [field, payload] of fields) {
    assert.equal(await field.inputValue(), payload.text, `${where}: ${payload.label} shows exactly what was typed`);
  }
}

/** Lets fields take text longer than their `maxlength`, as a hostile client would send it. */
async function dropLimits(page) {
  await page.locator('[maxlength]').evaluateAll((all) => all.forEach((el) => el.removeAttribute('maxlength')));
}

/** Clicks a form's submit button and waits for the page it leads to. */
async function submitAndWait(page, button) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await button.click();
  await navigated;
  await page.waitForLoadState('load');
}

afterEach(async () => {
  for (const context of contexts) await context.close();
  contexts.clear();
});

describe('hostile input stays text (Chromium)', { concurrency: 1 }, () => {
  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  for (const mode of RESIDENT_MODES.filter((m) => m.size === 'phone')) {
    it(`${mode.name}: the box form refilled and sent`, { timeout: 180_000 }, async () => {
      const ran = [];
      const context = await watchedContext(mode.context, ran);
      const page = await context.newPage();
      watchDialogs(page, ran);
      await withDiagnostics(stack, page, `hostile-box-${mode.name}`, async () => {
        const text = hostile('the opinion');
        text.text += ' 我家在李家村3组15号。';
        const name = hostile('the contact name');
        const phone = hostile('the contact phone');
        await page.goto(urlOf(stack, stack.demo.boxes[0].url));
        if (mode.js) await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        await dropLimits(page);
        const form = () => page.locator('form[data-testid=opinion-form]');
        await form().locator('input[name=category][value=suggestion]').check();
        await form().locator('textarea[name=text]').fill(text.text);
        await page.locator('[data-testid=named-choice] summary').click();
        await form().locator('input[name=identity]').check();
        await form().locator('input[name=contact_name]').fill(name.text);
        await form().locator('input[name=contact_phone]').fill(phone.text);

        // The confirmation step: in the island, or a page from the server without JavaScript.
        const submit = () => form().locator('button[type=submit]');
        if (mode.js) await submit().click();
        else await submitAndWait(page, submit());
        if (mode.js) await page.locator('[data-testid=confirm-question]').waitFor({ state: 'visible' });
        await assertTyped(page, ran, 'confirmation step', [
          [form().locator('textarea[name=text]'), text],
          [form().locator('input[name=contact_name]'), name],
          [form().locator('input[name=contact_phone]'), phone],
        ]);
        await page.locator('[data-testid=confirm-question]').waitFor({ state: 'visible' });

        // Confirmed, the contact is refused (422) and everything comes back as typed.
        await dropLimits(page);
        if (mode.js) {
          await submit().click();
          await page.locator('[data-testid=form-error]').waitFor({ state: 'visible' });
          await assertTyped(page, ran, 'refused in the island', [[form().locator('textarea[name=text]'), text]]);
          // The same form posted natively (a phone whose script failed to load): the server's
          // refilled page, hydrated.
          const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
          await form().evaluate((f) => f.submit());
          await navigated;
          await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        } else {
          await submitAndWait(page, submit());
        }
        await assertTyped(page, ran, 'refilled by the server', [
          [form().locator('textarea[name=text]'), text],
          [form().locator('input[name=contact_name]'), name],
          [form().locator('input[name=contact_phone]'), phone],
        ]);
        await page.locator('[data-testid=form-error]').waitFor({ state: 'visible' });

        // A real name and phone number: sent.
        await form().locator('input[name=contact_name]').fill('周阿姨');
        await form().locator('input[name=contact_phone]').fill('13812345678');
        await form().locator('input[name=category][value=suggestion]').check();
        if (mode.js) await submit().click();
        else await submitAndWait(page, submit());
        await page.locator('[data-testid=receipt]').waitFor({ state: 'visible' });
        await assertInert(page, ran, 'receipt');
      });
    });
  }

  it('reviewer: the opinion, a reply draft, a question, an issue with a measure, a notice draft', { timeout: 240_000 }, async () => {
    const ran = [];
    // A villager's hostile opinion, sent through the API.
    const text = hostile('the opinion');
    const code = new URL(stack.demo.boxes[1].url).pathname.split('/').pop();
    await api(stack, `/api/v1/boxes/${code}/opinions`, { category: 'suggestion', text: text.text });
    const merged = hostile('an opinion merged into an issue');
    await api(stack, `/api/v1/boxes/${code}/opinions`, { category: 'suggestion', text: merged.text });
    await stack.releaseWaiting();

    const base = await staffContext(stack, 'reviewer', { viewport: { width: 1280, height: 800 } });
    const storageState = await base.storageState();
    await base.close();
    const context = await watchedContext({ viewport: { width: 1280, height: 800 }, storageState }, ran);
    const page = await context.newPage();
    watchDialogs(page, ran);
    await withDiagnostics(stack, page, 'hostile-reviewer', async () => {
      const go = async (path) => {
        const response = await page.goto(urlOf(stack, path));
        assert.equal(response.status(), 200, `GET ${path}`);
        await page.waitForLoadState('load');
      };
      await go('/staff');
      await assertInert(page, ran, 'inbox');
      const rowLink = async (payload) => {
        const row = page.locator('[data-testid=opinion-row]', { hasText: `⚑${payload.n}` }).first();
        await row.waitFor({ state: 'visible' });
        return row.locator('a[href^="/staff/opinions/"]').getAttribute('href');
      };
      const opinionPath = await rowLink(text);
      const mergedPath = await rowLink(merged);

      // A reply draft and a question, typed by the reviewer, saved, shown again.
      await go(opinionPath);
      assert.equal(await page.locator('[data-testid=opinion-text]').textContent(), text.text, 'the opinion shows as sent');
      await assertInert(page, ran, 'opinion page');
      const reply = hostile('the reply draft');
      await dropLimits(page);
      await page.locator('textarea[name=reply]').fill(reply.text);
      await submitAndWait(page, page.locator('[data-testid=save-opinion]'));
      await assertTyped(page, ran, 'opinion page after saving', [[page.locator('textarea[name=reply]'), reply]]);
      const question = hostile('the question to the villager');
      await page.locator('form[data-testid=ask-form] textarea[name=text]').fill(question.text);
      await submitAndWait(page, page.locator('form[data-testid=ask-form] button[type=submit]'));
      await page.locator('[data-testid=thread]', { hasText: `⚑${question.n}` }).waitFor({ state: 'visible' });
      assert.ok((await page.locator('[data-testid=thread]').textContent()).includes(question.text), 'the question shows as typed');
      await go(opinionPath);
      await assertTyped(page, ran, 'opinion page reloaded', [[page.locator('textarea[name=reply]'), reply]]);

      // An issue with a hostile title: its reply, a measure and its evidence.
      const title = hostileTitle('the issue title');
      const token = await apiToken(stack, 'reviewer');
      const issue = await api(
        stack,
        '/api/v1/staff/issues',
        { title: title.text, opinions: [mergedPath.split('/').pop()] },
        token,
      );
      const issuePath = `/staff/issues/${issue.id}`;
      await go(issuePath);
      assert.equal(await page.title(), `${title.text} · 码上说`, 'the issue page is titled as typed');
      await assertInert(page, ran, 'issue page');
      await dropLimits(page);
      const issueReply = hostile('the issue reply');
      await page.locator('textarea[name=reply]').fill(issueReply.text);
      await submitAndWait(page, page.locator('[data-testid=save-issue]'));
      await assertTyped(page, ran, 'issue page after saving the reply', [[page.locator('textarea[name=reply]'), issueReply]]);
      await dropLimits(page);
      const measure = hostile('the measure');
      const measureForm = page.locator('form[data-testid=measure-form]');
      await measureForm.locator('textarea[name=text]').fill(measure.text);
      await measureForm.locator('input[name=responsible]').fill(hostileTitle('the responsible person').text);
      await measureForm.locator('input[name=due_on]').fill('2099-01-01');
      await submitAndWait(page, measureForm.locator('button[type=submit]'));
      await page.locator('[data-testid=measure]', { hasText: `⚑${measure.n}` }).waitFor({ state: 'visible' });
      await dropLimits(page);
      const evidence = hostile('the evidence');
      const update = page.locator('form[data-testid=measure-update]').first();
      await update.locator('textarea[name=evidence]').fill(evidence.text);
      await submitAndWait(page, update.locator('[data-testid=save-measure]'));
      await go(issuePath);
      await assertTyped(page, ran, 'issue page reloaded', [
        [page.locator('textarea[name=reply]'), issueReply],
        [page.locator('textarea[name=evidence]').first(), evidence],
      ]);
      assert.ok(
        (await page.locator('[data-testid=measure]').first().textContent()).includes(measure.text),
        'the measure shows as typed',
      );
      await go('/staff/ledger');
      await assertInert(page, ran, 'ledger');

      // A notice draft.
      await go('/staff/notices');
      await dropLimits(page);
      const noticeTitle = hostileTitle('the notice title');
      const noticeBody = hostile('the notice body');
      const form = page.locator('form[data-testid=new-notice]');
      await form.locator('input[name=title]').fill(noticeTitle.text);
      await form.locator('textarea[name=body]').fill(noticeBody.text);
      await submitAndWait(page, form.locator('button[type=submit]'));
      assert.equal(await page.title(), `${noticeTitle.text} · 码上说`, 'the draft is titled as typed');
      const edit = page.locator('form[data-testid=edit-notice]');
      await assertTyped(page, ran, 'notice draft', [
        [edit.locator('input[name=title]'), noticeTitle],
        [edit.locator('textarea[name=body]'), noticeBody],
      ]);
      await go('/staff/notices');
      await assertInert(page, ran, 'notices');
    });
  });
});
