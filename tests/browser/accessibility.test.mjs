// axe-core on every resident and reviewer page, at phone and desktop size: no violations.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { SIZES, api as apiOn, apiToken, injectTool, logIn, newContext, startStack, urlOf, withDiagnostics } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let stack;
const api = (path, body, token) => apiOn(stack, path, body, token);

/** The violations axe finds on the page now, as readable lines. */
async function violations(page) {
  await injectTool(page, AXE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.map((v) => `${v.id}: ${v.targets.slice(0, 3).join(', ')}`);
}

/** Data for every page: an opinion in an issue with a measure, a finished round, a notice. */
async function seed() {
  const code = new URL(stack.demo.boxes[0].url).pathname.split('/').pop();
  const sent = await api(`/api/v1/boxes/${code}/opinions`, { category: 'suggestion', text: '无障碍测试：村道坑洼需要修补' });
  await stack.releaseWaiting();
  const token = await apiToken(stack);
  const list = await api('/api/v1/staff/opinions', undefined, token);
  const opinion = (list.opinions ?? list)[0].id;
  const { id: issue } = await api('/api/v1/staff/issues', { title: '村道坑洼', opinions: [opinion] }, token);
  await api(`/api/v1/staff/issues/${issue}/measures`, { text: '修补村道', responsible: '张德明', due_on: '2099-01-01' }, token);
  const overview = await api('/api/v1/staff/appraisal', undefined, token);
  // The server's day is China's (UTC+8).
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const { id: round } = await api(
    '/api/v1/staff/appraisal/rounds',
    { name: '无障碍评议', questionnaire: 'template:organisation', mode: 'open', opens_on: today, closes_on: today, subjects: [overview.units[1].id] },
    token,
  );
  const view = await api(`/api/v1/staff/appraisal/rounds/${round}`, undefined, token);
  // A second round, closed, for the results page; a published notice for the public board.
  const { id: closed } = await api(
    '/api/v1/staff/appraisal/rounds',
    { name: '已结束的评议', questionnaire: 'template:organisation', mode: 'open', opens_on: today, closes_on: today, subjects: [overview.units[1].id] },
    token,
  );
  await api(`/api/v1/staff/appraisal/rounds/${closed}/close`, {}, token);
  // A slip round with one slip; a questionnaire of the group's own.
  const { id: slipRound } = await api(
    '/api/v1/staff/appraisal/rounds',
    { name: '发票评议', questionnaire: 'template:member', mode: 'slips', opens_on: today, closes_on: today, subjects: [overview.members[0].id] },
    token,
  );
  const { urls } = await api(`/api/v1/staff/appraisal/rounds/${slipRound}/slips`, { count: 1 }, token);
  const { id: questionnaire } = await api('/api/v1/staff/questionnaires', { template: 'member' }, token);
  const box = await (await fetch(stack.demo.boxes[0].url)).text();
  const board = box.match(/href="(\/t\/[^"?]+)/)[1];
  return {
    receipt: sent.receipt,
    opinion,
    issue,
    round,
    closed,
    board,
    questionnaire,
    slip: new URL(urls[0]).pathname,
    slipRound,
    form: new URL(view.public_url).pathname,
  };
}

describe('accessibility (axe-core)', { concurrency: 1 }, () => {
  let data;

  before(async () => {
    stack = await startStack();
    data = await seed();
  });

  after(async () => {
    await stack?.stop();
  });

  for (const { name: size, context: options } of SIZES) {
    it(`resident pages have no violations (${size})`, { timeout: 120_000 }, async () => {
      const context = await newContext(stack, options);
      const page = await context.newPage();
      await withDiagnostics(stack, page, `axe-resident-${size}`, async () => {
        const box = new URL(stack.demo.boxes[0].url).pathname;
        const found = [];
        const pages = ['/', '/privacy', '/r', box, `${box}?lang=en`, data.form, `${data.form}/change`, data.slip, data.board];
        // What a villager meets when something is wrong: an unknown box, a used-up or unknown slip.
        pages.push('/b/0000000000', '/s/0000000000');
        for (const path of pages) {
          await page.goto(urlOf(stack, path));
          found.push(...(await violations(page)).map((v) => `${path} ${v}`));
        }
        // The form sent with a name in it: the question before keeping it, then the receipt.
        await page.goto(urlOf(stack, box));
        const form = page.locator('form[data-testid=opinion-form]');
        await form.locator('input[name=category][value=unfairness]').check();
        await form.locator('textarea[name=text]').fill('李主任住在张家村3组12号，办事不公');
        await form.locator('button[type=submit]').click();
        await page.locator('[data-testid=confirm-question]').waitFor({ state: 'visible' });
        found.push(...(await violations(page)).map((v) => `confirm ${v}`));
        await page.locator('input[name=category][value=unfairness]').check();
        await page.locator('form[data-testid=opinion-form] button[type=submit]').click();
        await page.locator('[data-testid=receipt]').waitFor({ state: 'visible' });
        found.push(...(await violations(page)).map((v) => `receipt ${v}`));
        // An appraisal sent: the thank-you page.
        await page.goto(urlOf(stack, data.form));
        const faces = page.locator('label.face:has(input[value=satisfied])');
        for (let i = 0; i < (await faces.count()); i += 1) await faces.nth(i).click();
        await page.locator('[data-testid=appraisal-send]').click();
        await page.locator('[data-testid=appraisal-thanks]').waitFor({ state: 'visible' });
        found.push(...(await violations(page)).map((v) => `thanks ${v}`));
        // The status page of a receipt.
        await page.goto(urlOf(stack, '/r'));
        await page.locator('input[name=receipt]').fill(data.receipt);
        await page.locator('form:has(input[name=receipt]) button[type=submit]').click();
        await page.locator('[data-testid=opinion-state]').waitFor({ state: 'visible' });
        found.push(...(await violations(page)).map((v) => `status ${v}`));
        assert.deepEqual(found, []);
      });
      await context.close();
    });

    it(`reviewer pages have no violations (${size})`, { timeout: 180_000 }, async () => {
      const context = await newContext(stack, options);
      const page = await context.newPage();
      await withDiagnostics(stack, page, `axe-reviewer-${size}`, async () => {
        const found = [];
        await page.goto(urlOf(stack, '/staff/login'));
        found.push(...(await violations(page)).map((v) => `/staff/login ${v}`));
        await logIn(stack, page, 'reviewer');
        for (const path of [
          '/staff',
          `/staff/opinions/${data.opinion}`,
          '/staff/issues',
          `/staff/issues/${data.issue}`,
          '/staff/similar',
          '/staff/ledger',
          '/staff/appraisal',
          `/staff/appraisal/${data.round}`,
          `/staff/appraisal/${data.closed}/results`,
          `/staff/appraisal/${data.round}/poster`,
          '/staff/questionnaires',
          `/staff/questionnaires/${data.questionnaire}`,
          '/staff/notices',
          '/staff/reviews',
          '/staff/tables',
          '/staff/boxes',
          '/staff/group',
          '/staff/password',
          `/staff/appraisal/${data.slipRound}`,
        ]) {
          await page.goto(urlOf(stack, path));
          found.push(...(await violations(page)).map((v) => `${path} ${v}`));
        }
        // A box's printable poster, reached from the boxes page.
        await page.goto(urlOf(stack, '/staff/boxes'));
        await page.goto(urlOf(stack, await page.locator('a[href$="/poster"]').first().getAttribute('href')));
        found.push(...(await violations(page)).map((v) => `box poster ${v}`));
        // A notice draft's own page, written through the form.
        await page.goto(urlOf(stack, '/staff/notices'));
        const notice = page.locator('form[data-testid=new-notice]');
        await notice.locator('input[name=title]').fill(`无障碍通报 ${size}`);
        await notice.locator('textarea[name=body]').fill('感谢群众积极反映问题。');
        await notice.locator('button[type=submit]').click();
        await page.waitForURL((url) => /^\/staff\/notices\/[^/]+$/.test(new URL(url).pathname));
        found.push(...(await violations(page)).map((v) => `notice ${v}`));
        // A sheet of slips, printed from the slip round's page into a new tab.
        await page.goto(urlOf(stack, `/staff/appraisal/${data.slipRound}`));
        const slips = page.locator('[data-testid=slip-form]');
        await slips.locator('input[name=count]').fill('2');
        const [sheet] = await Promise.all([context.waitForEvent('page'), slips.locator('button[type=submit]').click()]);
        await sheet.waitForLoadState();
        found.push(...(await violations(sheet)).map((v) => `slips ${v}`));
        await sheet.close();
        assert.deepEqual(found, []);
      });
      await context.close();
    });

    it(`admin and auditor pages have no violations (${size})`, { timeout: 120_000 }, async () => {
      const found = [];
      for (const [who, paths] of [
        ['admin', ['/staff/admin', '/staff/admin/people', '/staff/admin/accounts', '/staff/admin/import', '/staff/questionnaires']],
        ['auditor', ['/staff/audit']],
      ]) {
        const context = await newContext(stack, options);
        const page = await context.newPage();
        await withDiagnostics(stack, page, `axe-${who}-${size}`, async () => {
          await logIn(stack, page, who);
          for (const path of paths) {
            await page.goto(urlOf(stack, path));
            found.push(...(await violations(page)).map((v) => `${path} ${v}`));
          }
        });
        await context.close();
      }
      assert.deepEqual(found, []);
    });
  }
});
