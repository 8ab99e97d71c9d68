// The leading group's, the admin's and the auditor's flows that are not about single opinions,
// at phone and desktop size: notices (通报) and the public board, the leader-review register and
// the statistics tables, the group's retention, boxes and their QR codes, questionnaires, the
// admin's units, people and accounts, the audit trail, and a password change. The public board
// is also read in every resident mode (JS on and off) and in both languages.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import {
  RESIDENT_MODES,
  SIZES,
  api,
  apiToken,
  assertFits,
  newContext,
  staffContext,
  startStack,
  urlOf,
  injectTool,
  withDiagnostics,
} from './harness.mjs';

const JSQR = createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js');

let stack;

/** The server's day (China time), `YYYY-MM-DD`. */
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const thisYear = () => Number(today().slice(0, 4));
const unique = () => randomInt(1e5, 1e6);
const pathOf = (url) => new URL(url, 'http://x').pathname;

/** A fresh context at `size`, signed in as a demo account (`reviewer`, `admin`, `auditor`). */
async function staffPage(size, who) {
  const context = await staffContext(stack, who, size.context);
  return { context, page: await context.newPage() };
}

/**
 * Runs fn(page, fits) in a fresh signed-in context, closed afterwards. `await fits()` checks that
 * the page now shown does not scroll sideways; the test fails at its end if one did, so that
 * the rest of the flow is still checked.
 */
async function asStaff(size, who, name, fn) {
  const { context, page } = await staffPage(size, who);
  try {
    await withDiagnostics(stack, page, name, async () => {
      const misfits = [];
      const fits = async () => {
        const overflow = await assertFits(page).catch((e) => e);
        if (overflow) misfits.push(overflow.message);
      };
      await fn(page, fits);
      assert.deepEqual(misfits, [], 'every page fits the screen');
    });
  } finally {
    await context.close();
  }
}

/** Opens a path on the test server. */
async function open(page, path) {
  const response = await page.goto(urlOf(stack, path));
  assert.equal(response.status(), 200, `GET ${path}`);
  return response;
}

/**
 * Clicks a button that submits a form (or a link), or presses `key` in it, and waits for the
 * page it leads to; returns that page's response (after any redirect).
 */
async function follow(page, target, key) {
  const answered = page.waitForResponse(
    (r) =>
      r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
  );
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await (key ? target.press(key) : target.click());
  const [response] = await Promise.all([answered, navigated]);
  await page.waitForLoadState('domcontentloaded');
  return response;
}

/** Submits a form by its submit button and expects a redirect back with `?saved=1`. */
async function save(page, form, button = form.locator('button[type=submit]')) {
  const response = await follow(page, button);
  assert.equal(response.status(), 200, `${response.url()} after saving`);
  assert.ok(new URL(page.url()).searchParams.has('saved'), `saved, now on ${page.url()}`);
  await page.locator('[role=status]', { hasText: '已保存' }).first().waitFor();
}

/** The value of the `<option>` of `select` whose label (trimmed) is or starts with `label`. */
async function optionValue(select, label) {
  const options = await select
    .locator('option')
    .evaluateAll((all) => all.map((o) => ({ value: o.value, label: o.textContent.trim() })));
  const found = options.find((o) => o.label === label) ?? options.find((o) => o.label.startsWith(label));
  assert.ok(found, `no option ${label} in ${JSON.stringify(options.map((o) => o.label))}`);
  return found.value;
}

/** The rows of a table's body: the texts of their header cells and of their data cells. */
function tableRows(table) {
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((tr) => ({
      heads: [...tr.querySelectorAll('th')].map((c) => c.textContent.trim()),
      cells: [...tr.querySelectorAll('td')].map((c) => c.textContent.trim()),
    })),
  );
}

/** The public board's path, from the link on the first demo box's page. */
async function boardPathFrom(page) {
  await open(page, stack.demo.boxes[0].url);
  const href = await page.locator('a[data-testid=notice-board-link]').getAttribute('href');
  assert.ok(href?.startsWith('/t/'), `the box page links the board: ${href}`);
  return href;
}

/** The text of the QR code in the image at `src`, decoded by jsQR in the page. */
async function decodeQr(page, src) {
  await injectTool(page, JSQR);
  return page.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const pixels = g.getImageData(0, 0, canvas.width, canvas.height);
    return { width: img.naturalWidth, text: globalThis.jsQR(pixels.data, canvas.width, canvas.height)?.data ?? null };
  }, src);
}

/** Cached API tokens (API sign-ins have their own limit of 10). */
let adminToken;
let reviewerToken;
async function adminApi(path, body) {
  adminToken ??= await apiToken(stack, 'admin');
  return api(stack, path, body, adminToken);
}

/** The township 青山镇's leading group, from the admin API. */
async function townshipGroup() {
  const units = await adminApi('/api/v1/admin/units');
  const township = units.find((u) => u.name === '青山镇');
  assert.ok(township?.group?.id, `青山镇 has a group: ${JSON.stringify(units)}`);
  return township.group;
}

/** The id of an account by its username, from the admin API. */
async function accountId(username) {
  const accounts = await adminApi('/api/v1/admin/accounts');
  const found = accounts.find((a) => a.username === username);
  assert.ok(found, `account ${username} exists`);
  return found.id;
}

/** Signs in on the form with any account; returns the response of the page it lands on. */
async function signIn(page, username, password) {
  await open(page, '/staff/login');
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  return follow(page, page.locator('form:has(input[name=password]) button[type=submit]'));
}

/** Accounts the admin created in these tests, for the audit trail. */
const createdAccounts = [];

describe('staff flows (Chromium, phone and desktop)', { concurrency: 1 }, () => {
  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  for (const size of SIZES) {
    it(`notices: a draft is published on the township board and withdrawn (${size.name})`, async () => {
      await asStaff(size, 'reviewer', `notices-${size.name}`, async (page, fits) => {
        const title = `关于${size.name === 'phone' ? '手机' : '电脑'}端测试的通报 ${unique()}`;
        const paragraphs = ['感谢群众积极反映问题。', `本期整改情况如下 ${unique()}。`];
        const board = await boardPathFrom(page);

        // A draft with the ledger's figures for this year so far.
        await open(page, '/staff/notices');
        assert.equal(pathOf(await page.locator('[data-testid=board-link]').getAttribute('href')), board);
        const form = page.locator('form[data-testid=new-notice]');
        await form.locator('input[name=title]').fill(title);
        await form.locator('textarea[name=body]').fill(paragraphs.join('\n'));
        await form.locator('input[name=ledger]').check();
        await form.locator('input[name=ledger_from]').fill(`${thisYear()}-01-01`);
        await form.locator('input[name=ledger_to]').fill(today());
        await save(page, form);
        const noticePath = pathOf(page.url());
        assert.match(noticePath, /^\/staff\/notices\/[^/]+$/);
        const preview = page.locator('[data-testid=notice]');
        await preview.locator('h2', { hasText: title }).waitFor();
        await preview.locator('[data-testid=notice-ledger]').waitFor();
        await fits();

        // Listed as a draft after a reload; the public does not see it.
        await open(page, '/staff/notices');
        const row = page.locator('[data-testid=notice-list] li', { hasText: title });
        assert.match(await row.innerText(), /草稿/);
        await fits();
        await open(page, board);
        assert.equal(await page.locator('[data-testid=notice]', { hasText: title }).count(), 0, 'drafts stay private');

        // Published: the board shows the title, each paragraph and the ledger.
        await open(page, noticePath);
        await save(page, page.locator('form:has([data-testid=publish])'), page.locator('[data-testid=publish]'));
        await open(page, noticePath);
        await page.locator('[data-testid=withdraw]').waitFor();
        assert.equal(await page.locator('[data-testid=publish]').count(), 0);
        await open(page, '/staff/notices');
        assert.match(await row.innerText(), /公布于/);
        await open(page, board);
        const published = page.locator('[data-testid=notice]', { hasText: title });
        await published.waitFor();
        for (const text of paragraphs) await published.locator('p', { hasText: text }).waitFor();
        await published.locator('[data-testid=notice-ledger]').waitFor();
        await fits();

        // Withdrawn: a draft again, gone from the board.
        await open(page, noticePath);
        await save(page, page.locator('form:has([data-testid=withdraw])'), page.locator('[data-testid=withdraw]'));
        await open(page, noticePath);
        await page.locator('[data-testid=publish]').waitFor();
        await open(page, board);
        assert.equal(await page.locator('[data-testid=notice]', { hasText: title }).count(), 0, 'withdrawn');
        await open(page, '/staff/notices');
        assert.match(await row.innerText(), /草稿/);
      });
    });
  }

  describe('the public notice board', () => {
    const title = `村道修补完成情况通报 ${unique()}`;
    const text = `张家村村道已于本月修补完毕 ${unique()}。`;

    before(async () => {
      await asStaff(SIZES[1], 'reviewer', 'board-seed', async (page) => {
        await open(page, '/staff/notices');
        const form = page.locator('form[data-testid=new-notice]');
        await form.locator('input[name=title]').fill(title);
        await form.locator('textarea[name=body]').fill(text);
        await save(page, form);
        await save(page, page.locator('form:has([data-testid=publish])'), page.locator('[data-testid=publish]'));
      });
    });

    for (const mode of RESIDENT_MODES) {
      it(`residents read a notice from the box page, in Chinese and English (${mode.name})`, async () => {
        const context = await newContext(stack, mode.context);
        const page = await context.newPage();
        try {
          const name = `board-${mode.size}-js-${mode.js ? 'on' : 'off'}`;
          await withDiagnostics(stack, page, name, async ({ pageErrors }) => {
            await open(page, stack.demo.boxes[0].url);
            if (mode.js) await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
            const link = page.locator('a[data-testid=notice-board-link]');
            assert.ok((await link.getAttribute('href')).startsWith('/t/'));
            await follow(page, link);
            assert.match(pathOf(page.url()), /^\/t\/[^/]+$/);
            assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
            assert.match(await page.locator('h1').innerText(), /青山镇公开通报/);
            const notice = page.locator('[data-testid=notice]', { hasText: title });
            await notice.locator('p', { hasText: text }).waitFor();
            assert.match(await notice.innerText(), /公布于 \d{4}年\d{1,2}月\d{1,2}日/);
            const qr = await page.locator('[data-testid=board-qr] svg').boundingBox();
            assert.ok(qr.width > 0, 'the QR code is drawn');
            await assertFits(page);

            await follow(page, page.locator('a.lang[hreflang=en]'));
            assert.equal(new URL(page.url()).searchParams.get('lang'), 'en');
            assert.equal(await page.locator('html').getAttribute('lang'), 'en');
            assert.match(await page.locator('h1').innerText(), /public notices/);
            assert.match(await notice.innerText(), /Published \d{1,2} \w{3} \d{4}/);
            await notice.locator('p', { hasText: text }).waitFor();
            await assertFits(page);

            await follow(page, page.locator('a.lang[hreflang=zh]'));
            assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
            assert.match(await page.locator('h1').innerText(), /公开通报/);
            assert.deepEqual(pageErrors.map(String), []);
          });
        } finally {
          await context.close();
        }
      });
    }
  });

  for (const size of SIZES) {
    it(`statistics: a leader review is registered and counted; the workbook downloads (${size.name})`, async () => {
      await asStaff(size, 'reviewer', `statistics-${size.name}`, async (page, fits) => {
        // Each size records its own year, so the counts start at nought.
        const year = size.name === 'phone' ? thisYear() : thisYear() - 1;
        await open(page, `/staff/reviews?year=${year}`);
        assert.match(await page.locator('h1').innerText(), new RegExp(`${year}`));
        const form = page.locator('form[data-testid=review-form]');
        await form.locator('input[name=pass][value="1"]').check();
        const reviewer = form.locator('select[name=reviewer]');
        await reviewer.selectOption(await optionValue(reviewer, '刘国栋'));
        for (const village of ['张家村', '李家湾村']) {
          await form.locator('[data-testid=review-units] label', { hasText: village }).locator('input').check();
        }
        await form.locator('[data-testid=review-people] label', { hasText: '张德明' }).locator('input').check();
        await save(page, form);

        await open(page, `/staff/reviews?year=${year}`);
        const batch = page.locator('[data-testid=review-batches] li', { hasText: '张家村、李家湾村' });
        const recorded = await batch.innerText();
        assert.match(recorded, /^第一次 · /);
        assert.ok(recorded.includes('张德明'), recorded);
        await fits();

        await open(page, `/staff/tables?year=${year}`);
        assert.match(await page.locator('h1').innerText(), new RegExp(`青山镇 · ${year}`));
        const organisations = await tableRows(page.locator('[data-testid=table-organisations]'));
        const count = (rows, label) => rows.find((r) => r.heads.includes(label))?.cells[0];
        assert.ok(Number(count(organisations, '党组织数')) >= 3, JSON.stringify(organisations));
        const reviewed = organisations.findIndex((r) => r.heads.includes('已被点评党组织数'));
        assert.deepEqual(organisations[reviewed].heads.slice(-1), ['第一次']);
        assert.equal(organisations[reviewed].cells[0], '2', 'two villages reviewed in the first pass');
        assert.deepEqual(organisations[reviewed + 1].heads, ['第二次']);
        assert.equal(organisations[reviewed + 1].cells[0], '0');
        const members = await tableRows(page.locator('[data-testid=table-members]'));
        assert.equal(count(members, '已被点评党员数'), '1', JSON.stringify(members));
        await page.locator('[data-testid=table-leaders] table').first().waitFor();
        await fits();

        // The workbook, clicked and fetched.
        const link = page.locator('a[data-testid=tables-xlsx]');
        const href = await link.getAttribute('href');
        assert.equal(href, `/staff/tables.xlsx?year=${year}`);
        const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
        assert.equal(download.suggestedFilename(), `tables-${year}.xlsx`);
        assert.equal(await download.failure(), null);
        const file = await page.request.get(urlOf(stack, href));
        assert.equal(file.status(), 200);
        assert.match(file.headers()['content-type'], /spreadsheetml\.sheet/);
        assert.equal((await file.body()).subarray(0, 2).toString('latin1'), 'PK', 'a zip (xlsx) file');

        // The register names the reviewing leader.
        assert.match(recorded, /^第一次 · 刘国栋/, 'the register shows who reviewed');
      });
    });

    it(`group settings: retention is saved, a bad value is refused on the page (${size.name})`, async () => {
      await asStaff(size, 'reviewer', `group-${size.name}`, async (page, fits) => {
        await open(page, '/staff/group');
        await page.locator('[data-testid=counts]').waitFor();
        const input = page.locator('#retention');
        const days = size.name === 'phone' ? '400' : '500';
        await input.fill(days);
        await save(page, page.locator('form[data-testid=retention-form]'));
        await open(page, '/staff/group');
        assert.equal(await input.inputValue(), days);
        await fits();

        // Below the minimum, past the browser's own check: the server refuses it in Chinese.
        await input.evaluate((el) => el.removeAttribute('min'));
        await input.fill('5');
        const refused = await follow(page, page.locator('form[data-testid=retention-form] button[type=submit]'));
        assert.equal(refused.status(), 422);
        assert.match(await page.locator('[role=alert]').innerText(), /保留天数应在 30 到 3650 天之间/);
        await fits();
        const shownAgain = await page.locator('form[data-testid=retention-form]').count();
        await open(page, '/staff/group');
        assert.equal(await input.inputValue(), days, 'the refused value was not stored');
        assert.equal(shownAgain, 1, 'the group page is shown again with the reason, not an error page');
      });
    });

    it(`boxes: each box has a working QR code and a printable poster (${size.name})`, async () => {
      await asStaff(size, 'reviewer', `boxes-${size.name}`, async (page, fits) => {
        await open(page, '/staff/boxes');
        const rows = page.locator('[data-testid=box-row]');
        assert.equal(await rows.count(), stack.demo.boxes.length);
        for (const box of stack.demo.boxes) {
          const row = rows.filter({ hasText: box.name });
          assert.equal(await row.locator(`a[href="${box.url}"]`).count(), 1, `${box.name} shows its address`);
          const png = await row.locator('a[href$="/qr.png"]').getAttribute('href');
          const qr = await decodeQr(page, png);
          assert.ok(qr.width > 0, `${png} is an image`);
          assert.equal(qr.text, box.url, `the QR code of ${box.name} opens its box`);
          const svgHref = await row.locator('a[href$="/qr.svg"]').getAttribute('href');
          const svg = await page.request.get(urlOf(stack, svgHref));
          assert.equal(svg.status(), 200);
          assert.match(svg.headers()['content-type'], /^image\/svg\+xml/);
          assert.match(await svg.text(), /<svg/);
        }
        await fits();

        // The poster of the first box: its name, the large QR code and the address.
        const first = stack.demo.boxes[0];
        await follow(page, rows.filter({ hasText: first.name }).locator('a[href$="/poster"]'));
        assert.match(pathOf(page.url()), /^\/staff\/boxes\/[^/]+\/poster$/);
        assert.equal((await page.locator('h2').innerText()).trim(), first.name);
        assert.equal((await page.locator('p.url').innerText()).trim(), first.url);
        const drawn = await page.locator('.qr svg').boundingBox();
        assert.ok(drawn.width > 100 && drawn.height > 100, `the poster's QR code is large: ${JSON.stringify(drawn)}`);
        // Printed on A4, but opened on a phone too: the QR code shrinks to the screen.
        await fits();
      });
    });

    it(`questionnaires: a template is copied, edited and listed (reviewer and admin, ${size.name})`, async () => {
      for (const who of ['reviewer', 'admin']) {
        await asStaff(size, who, `questionnaires-${who}-${size.name}`, async (page, fits) => {
          await open(page, '/staff/questionnaires');
          const list = page.locator('[data-testid=questionnaires] li');
          const before = await list.count();
          const copy = page.getByRole('button', { name: '复制附件4（党组织）' });
          await save(page, page.locator('form[action="/staff/questionnaires"]'), copy);
          const own = pathOf(page.url());
          assert.match(own, /^\/staff\/questionnaires\/[^/]+$/);
          const form = page.locator('form[data-testid=questionnaire-form]');
          const title = `测试评议表 ${who} ${size.name} ${unique()}`;
          const item = `是否按时公开村务 ${unique()}`;
          await form.locator('input[name=title]').fill(title);
          await form.locator('input[name=text_0]').fill(item);
          await fits();
          await save(page, form);

          await open(page, own);
          assert.equal(await form.locator('input[name=title]').inputValue(), title);
          assert.equal(await form.locator('input[name=text_0]').inputValue(), item);
          assert.equal(await page.locator('h1').innerText(), title);
          await open(page, '/staff/questionnaires');
          assert.equal(await list.count(), before + 1);
          await list.filter({ hasText: title }).locator(`a[href="${own}"]`).waitFor();
          await fits();
        });
      }
    });

    it(`admin: a village, a person with a leader rank and an account are added (${size.name})`, async () => {
      await asStaff(size, 'admin', `admin-${size.name}`, async (page, fits) => {
        const n = unique();
        const village = `测试${size.name === 'phone' ? '东' : '西'}村${n}`;

        // A village under the township.
        await open(page, '/staff/admin');
        const unitForm = page.locator('form[data-testid=unit-form]');
        const parent = unitForm.locator('select[name=parent_id]');
        await parent.selectOption(await optionValue(parent, '青山镇'));
        await unitForm.locator('input[name=name]').fill(village);
        await unitForm.locator('select[name=category]').selectOption('rural');
        await save(page, unitForm);
        await open(page, '/staff/admin');
        const units = await tableRows(page.locator('[data-testid=unit-table]'));
        const added = units.find((u) => u.heads[0]?.trim() === village);
        assert.ok(added, `the unit table lists ${village}: ${JSON.stringify(units.map((u) => u.heads[0]))}`);
        assert.deepEqual(added.cells.slice(0, 2), ['村社区单位', '农村']);
        const township = units.findIndex((u) => u.heads[0]?.trim() === '青山镇');
        assert.ok(units.indexOf(added) > township, 'listed under the township');
        const label = await page.locator('[data-testid=unit-row] th', { hasText: village }).textContent();
        assert.ok(label.startsWith('　　'), `indented one level below the township: ${JSON.stringify(label)}`);
        await fits();

        // A person in it, given a leader rank, then withdrawn.
        const name = `测试${n}`;
        await open(page, '/staff/admin/people');
        const personForm = page.locator('form[data-testid=person-form]');
        const unit = personForm.locator('select[name=unit_id]');
        await unit.selectOption(await optionValue(unit, village));
        await personForm.locator('input[name=name]').fill(name);
        await personForm.locator('input[name=post]').fill('村党支部书记');
        await save(page, personForm);
        const row = page.locator('[data-testid=person-row]', { has: page.locator('th', { hasText: name }) });
        await open(page, '/staff/admin/people');
        assert.equal(await row.locator('select[name=leader_rank]').inputValue(), '');
        assert.match(await row.innerText(), /在用/);
        await row.locator('select[name=leader_rank]').selectOption('grassroots_secretary');
        await save(page, row.locator('form[action$="/rank"]'));
        await open(page, '/staff/admin/people');
        assert.equal(await row.locator('select[name=leader_rank]').inputValue(), 'grassroots_secretary');
        assert.ok((await row.innerText()).includes(village));
        await save(page, row.locator('form[action$="/active"]'), row.getByRole('button', { name: '不再列出' }));
        await open(page, '/staff/admin/people');
        assert.match(await row.innerText(), /已停用/);
        await row.getByRole('button', { name: '重新列出' }).waitFor();
        await fits();

        // An account: its generated password is shown once.
        const username = `acct-${size.name}-${n}`;
        await open(page, '/staff/admin/accounts');
        const accountForm = page.locator('form[data-testid=account-form]');
        await accountForm.locator('input[name=username]').fill(username);
        await accountForm.locator('input[name=display_name]').fill(`测试账号${n}`);
        await accountForm.locator('select[name=role]').selectOption('viewer');
        const group = accountForm.locator('select[name=group_id]');
        await group.selectOption(await optionValue(group, '青山镇 ·'));
        // Enter submits like the button; a tap on the button misses at phone size while the page
        // scrolls sideways (the emulated phone zooms out), which fits() reports.
        const created = await follow(page, accountForm.locator('input[name=display_name]'), 'Enter');
        assert.equal(created.status(), 200);
        await page.locator('[data-testid=admin-ok]', { hasText: '已保存' }).waitFor();
        const shown = page.locator('[data-testid=new-password]');
        assert.equal((await shown.locator('strong').innerText()).trim(), username);
        assert.ok((await shown.locator('code').innerText()).trim().length >= 10, 'a generated password');
        await fits();
        await open(page, '/staff/admin/accounts');
        assert.equal(await shown.count(), 0, 'the password is not shown again');
        const account = page.locator('[data-testid=account-row]', { hasText: username });
        assert.match(await account.innerText(), /青山镇创先争优活动领导小组/);
        assert.equal(await account.locator('select[name=role]').inputValue(), 'viewer');
        createdAccounts.push(await accountId(username));
      });
    });

    it(`auditor: the trail shows the admin's changes and the chain is intact (${size.name})`, async () => {
      // Without the admin test (a filtered run), make an account to look for.
      if (createdAccounts.length === 0) {
        const group = await townshipGroup();
        const made = await adminApi('/api/v1/admin/accounts', {
          username: `audit-${size.name}-${unique()}`,
          display_name: '审计测试',
          role: 'viewer',
          group_id: group.id,
        });
        createdAccounts.push(made.account.id);
      }
      await asStaff(size, 'auditor', `audit-${size.name}`, async (page, fits) => {
        const intact = page.locator('[data-testid=chain-intact]');
        const total = async () => Number((await intact.innerText()).match(/^日志完整.*\((\d+)\)$/)[1]);
        await open(page, '/staff/audit');
        // The trail pages by 100 entries: reading the queue through the API adds enough for two.
        if ((await total()) <= 100) {
          reviewerToken ??= await apiToken(stack, 'reviewer');
          for (let n = await total(); n <= 100; n++) {
            await api(stack, '/api/v1/staff/opinions', undefined, reviewerToken);
          }
          await open(page, '/staff/audit');
        }
        assert.match(await page.locator('[data-testid=head-hash]').innerText(), /^[0-9a-f]{64}$/);
        const entries = page.locator('[data-testid=audit-entry]');
        const read = () =>
          entries.evaluateAll((rows) =>
            rows.map((tr) => {
              const [seq, at, actor, label, target] = [...tr.cells].map((c) => c.textContent.trim());
              // The action's name is the title of its readable label.
              return { seq: Number(seq), at, actor, label, action: tr.cells[3].title, target };
            }),
          );
        const first = await read();
        assert.equal(first.length, 100, 'a full first page');
        assert.ok(first.every((e, i) => i === 0 || e.seq < first[i - 1].seq), 'newest first');
        assert.equal(first[0].action, 'view_audit', 'opening the trail is itself recorded');
        assert.equal(first[0].label, '查看操作日志', 'the action is written in words');
        assert.equal(first[0].actor, stack.demo.auditor.username, 'the account is shown by its user name');
        assert.match(first[0].at, /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
        await fits();

        // Older pages, until the admin test's account creations are found.
        const older = page.locator('a[href^="/staff/audit?before="]');
        const seen = [...first];
        do {
          const lowest = Math.min(...(await read()).map((e) => e.seq));
          assert.equal(await older.count(), 1, `an older page, with create_account of ${createdAccounts}`);
          await follow(page, older);
          assert.equal(new URL(page.url()).searchParams.get('before'), String(lowest));
          const next = await read();
          assert.ok(next.length > 0 && next.every((e) => e.seq < lowest), 'older entries');
          await intact.waitFor();
          await fits();
          seen.push(...next);
        } while (!createdAccounts.every((id) => seen.some((e) => e.action === 'create_account' && e.target === id)));
        const created = seen.find((e) => e.action === 'create_account');
        assert.equal(created.label, '新建账号');
        assert.equal(created.actor, stack.demo.admin.username);
      });
    });
  }

  // Last: each run posts the sign-in and password forms four times, and the burst allows ten.
  for (const size of SIZES) {
    it(`password: a new account changes its password and signs out (${size.name})`, async () => {
      const group = await townshipGroup();
      const username = `pw-${size.name}-${unique()}`;
      // A member account belongs to a person of the directory (recusal follows the person).
      const units = await adminApi('/api/v1/admin/units');
      const township = units.find((u) => u.name === '青山镇');
      const person = await adminApi('/api/v1/admin/people', {
        unit_id: township.id,
        name: `测试委员${unique()}`.slice(0, 12),
        post: '委员',
      });
      const made = await adminApi('/api/v1/admin/accounts', {
        username,
        display_name: '测试委员',
        role: 'member',
        group_id: group.id,
        person_id: person.id,
      });
      const oldPassword = made.password;
      assert.ok(oldPassword, 'a one-time password');
      const newPassword = `新密码-${size.name}-${unique()}`;
      const context = await newContext(stack, size.context);
      const page = await context.newPage();
      try {
        await withDiagnostics(stack, page, `password-${size.name}`, async () => {
          await signIn(page, username, oldPassword);
          // A new account waits for another member's confirmation on the group page.
          assert.equal(pathOf(page.url()), '/staff/group');
          await page.locator('.staff-nav .who', { hasText: '测试委员' }).waitFor();
          await page.locator('[data-testid=unconfirmed-banner]').waitFor();
          await assertFits(page);

          await open(page, '/staff/password');
          const form = page.locator('form[data-testid=password-form]');
          await form.locator('#current').fill(oldPassword);
          await form.locator('#new').fill(newPassword);
          await assertFits(page);
          await follow(page, form.locator('button[type=submit]'));
          assert.equal(pathOf(page.url()), '/staff/login');
          assert.match(await page.locator('[role=status]').innerText(), /密码已修改/);
          await page.goto(urlOf(stack, '/staff'));
          assert.equal(pathOf(page.url()), '/staff/login', 'the change ended the session');

          const refused = await signIn(page, username, oldPassword);
          assert.equal(refused.status(), 401);
          assert.equal(pathOf(page.url()), '/staff/login');
          assert.match(await page.locator('[data-testid=form-error]').innerText(), /用户名或密码不对/);
          await assertFits(page);

          await signIn(page, username, newPassword);
          assert.equal(pathOf(page.url()), '/staff/group');
          await follow(page, page.locator('form[action="/staff/logout"] button[type=submit]'));
          assert.equal(pathOf(page.url()), '/staff/login');
          await page.goto(urlOf(stack, '/staff/password'));
          assert.equal(pathOf(page.url()), '/staff/login', 'signed out');
        });
      } finally {
        await context.close();
      }
    });
  }
});
