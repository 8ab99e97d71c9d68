// End-to-end opinion flows in Chromium. Every resident flow runs at phone (360×740) and
// desktop (1280×800) size with JavaScript on and off; every reviewer flow at both sizes.
// Submit through a box's QR URL, look the receipt up, handle it as a reviewer, read the
// reply; then check that no request metadata reached logs or database.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  RESIDENT_MODES,
  SIZES,
  api,
  assertFits,
  newContext as contextOn,
  staffContext,
  startStack,
  urlOf,
  withDiagnostics,
} from './harness.mjs';

const REPLY = '已处理,谢谢反映';

// Sent by the first flow in every mode; none of them may be stored or logged. X-Forwarded-For,
// the User-Agent and the cookie go with every request. The Referer goes only with
// the box page, its assets and the island's fetch submit: Chromium blocks
// page-initiated navigations (form submits) while an extra Referer header is set.
const SENTINEL_HEADERS = { 'X-Forwarded-For': '203.0.113.77' };
const SENTINEL_REFERER = { Referer: 'https://sentinel-referer.example/' };
const SENTINEL_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36 SentinelUA-5150';
const SENTINEL_COOKIE = { name: 'sentinel', value: 'cookie-5150' };
// In the photo test: a camera maker in the JPEG's EXIF block, and the file name.
const PHOTO_MAKER = 'SENTINEL-MAKER-9921';
const PHOTO_NAME = 'IMG_20261122_153045_SENTINEL.jpg';
const SENTINELS = ['203.0.113.77', 'sentinel-referer', 'SentinelUA-5150', 'cookie-5150', PHOTO_MAKER, PHOTO_NAME];

/** A JPEG drawn by the browser, with an EXIF block naming PHOTO_MAKER spliced in after SOI. */
async function jpegWithExif(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 48;
    canvas.height = 32;
    const g = canvas.getContext('2d');
    g.fillStyle = '#2a7';
    g.fillRect(0, 0, 48, 32);
    g.fillStyle = '#c33';
    g.fillRect(8, 8, 16, 12);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  await context.close();
  const jpeg = Buffer.from(dataUrl.split(',')[1], 'base64');
  const maker = Buffer.from(`${PHOTO_MAKER}\0`, 'latin1');
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8); // one entry: Make (ASCII), stored after the IFD
  tiff.writeUInt16LE(0x010f, 10);
  tiff.writeUInt16LE(2, 12);
  tiff.writeUInt32LE(maker.length, 14);
  tiff.writeUInt32LE(tiff.length, 18);
  tiff.writeUInt32LE(0, 22);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, maker]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}

// Short enough to survive a truncated excerpt in the inbox list.
const uniqueText = () => `浏览器测试意见 ${randomInt(1e7, 1e8)}`;
const pathOf = (url) => new URL(url).pathname.replace(/\/+$/, '') || '/';

let stack;
let sentinelTrafficSent = false;
let photo; // the JPEG with camera data, made once

const contexts = new Set(); // closed after each test

/** A context in the given mode (phone or desktop, JavaScript on or off). */
async function newContext(mode, options = {}) {
  const context = await contextOn(stack, { ...mode.context, ...options });
  contexts.add(context);
  return context;
}

/**
 * Fills and submits the opinion form on a box page; returns the receipt digits.
 * With inPlace, any page navigation after the click fails at once (the island
 * must submit with fetch).
 */
async function submitOpinion(page, category, text, { inPlace = false } = {}) {
  const form = page.locator('form[data-testid=opinion-form]');
  await form.locator(`input[name=category][value=${category}]`).check();
  await form.locator('textarea[name=text]').fill(text);
  let onRequest;
  const navigated = new Promise((_, reject) => {
    onRequest = (req) => {
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
        reject(new Error(`the island did not submit in place: the page navigated (${req.method()} ${req.url()})`));
      }
    };
  });
  navigated.catch(() => {}); // may reject during click(), before the race below
  const receipt = page.locator('[data-testid=receipt]');
  if (inPlace) page.on('request', onRequest);
  try {
    await form.locator('button[type=submit]').click();
    const shown = receipt.waitFor({ state: 'visible' });
    await (inPlace ? Promise.race([shown, navigated]) : shown);
  } finally {
    if (inPlace) page.off('request', onRequest);
  }
  const digits = (await receipt.innerText()).replace(/\s+/g, '');
  assert.match(digits, /^\d{16}$/, `receipt should be 16 digits, got ${JSON.stringify(digits)}`);
  return digits;
}

/** Looks a receipt up on /r and waits until the opinion's state is shown. */
async function lookUpReceipt(page, receipt) {
  await page.goto(urlOf(stack, '/r'));
  const input = page.locator('input[name=receipt]');
  await input.fill(receipt);
  await page.locator('form:has(input[name=receipt]) button[type=submit]').click();
  await page.locator('[data-testid=opinion-state]').waitFor({ state: 'visible' });
}

/**
 * Releases the waiting opinions (as the batch timer would) and opens the inbox in the demo
 * reviewer's own context at the mode's size: a villager's context never holds a staff session.
 */
async function openInbox(mode, watch) {
  await stack.releaseWaiting();
  // The reviewer's browser runs JavaScript whatever the villager's does (waitForFunction
  // polls with it).
  const context = await staffContext(stack, 'reviewer', { ...mode.context, javaScriptEnabled: true });
  contexts.add(context);
  const page = watch(await context.newPage());
  await page.goto(urlOf(stack, '/staff'));
  return page;
}

/** Opens a box page; with JavaScript on, waits for the form's island to hydrate. */
async function openBox(page, mode, box = 0) {
  await page.goto(urlOf(stack, stack.demo.boxes[box].url));
  if (mode.js) await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
}

/** Sends an opinion through the API (for flows that start on the reviewer's side). */
async function sendThroughApi(text, box = 0, extra = {}) {
  const code = new URL(stack.demo.boxes[box].url).pathname.split('/').pop();
  return api(stack, `/api/v1/boxes/${code}/opinions`, { category: 'suggestion', text, ...extra });
}

/** The inbox row showing the given opinion text. */
async function findRow(page, text) {
  const row = page.locator('[data-testid=opinion-row]', { hasText: text });
  await row.first().waitFor({ state: 'visible' });
  return row.first();
}

/** The page text outside any <select> (whose options always list every state). */
function outsideSelects(page, text) {
  return page
    .locator(
      `xpath=//body//*[not(self::option) and not(self::select) and not(self::script) and not(ancestor::select)][text()[contains(., "${text}")]]`,
    )
    .first();
}

describe('opinion flows (Chromium, phone and desktop)', { concurrency: 1 }, () => {
  before(async () => {
    stack = await startStack();
    photo = await jpegWithExif(stack.browser);
  });

  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts.clear();
  });

  after(async () => {
    await stack?.stop();
  });

  for (const mode of RESIDENT_MODES) {
    it(`${mode.name}: sent, looked up, answered by the reviewer, the reply read with the receipt`, { timeout: 120_000 }, async () => {
      const context = await newContext(mode, { userAgent: SENTINEL_UA, extraHTTPHeaders: SENTINEL_HEADERS });
      await context.addCookies([{ ...SENTINEL_COOKIE, url: stack.baseURL }]);
      const page = await context.newPage();
      await withDiagnostics(stack, page, `send-${mode.name}`, async ({ pageErrors, watch }) => {
        const text = uniqueText();
        await page.setExtraHTTPHeaders(SENTINEL_REFERER);
        await openBox(page, mode);
        sentinelTrafficSent = true;
        const h1 = (await page.locator('h1').first().innerText()).trim();
        assert.ok(h1.length > 0, 'the box page has an h1');
        assert.ok((await page.locator('body').innerText()).includes('领导小组'), 'the page mentions 领导小组');
        await assertFits(page, 'the box page');
        // Chromium refuses page-initiated navigations (a form post) while an extra Referer is set.
        if (!mode.js) await page.setExtraHTTPHeaders({});

        const urlBefore = page.url();
        const receipt = await submitOpinion(page, 'conduct', text, { inPlace: mode.js });
        if (mode.js) assert.equal(page.url(), urlBefore, 'the URL must not change (submitted in place)');
        assert.match(await page.locator('[data-testid=release-note]').innerText(), /最迟 \d{4}年\d{1,2}月\d{1,2}日 送达/);
        await assertFits(page, 'the receipt');
        await page.setExtraHTTPHeaders({});

        // The status page knows the receipt; the opinion waits for its batch.
        await lookUpReceipt(page, receipt);
        assert.equal((await page.locator('[data-testid=opinion-state]').innerText()).trim(), '等待送达');

        // The reviewer closes it with a reply.
        const desk = await openInbox(mode, watch);
        await (await findRow(desk, text)).locator('a').first().click();
        const state = desk.locator('select[name=state]');
        await state.waitFor({ state: 'visible' });
        const detailUrl = desk.url();
        await state.selectOption('closed');
        await desk.locator('textarea[name=reply]').fill(REPLY);
        const saved = desk.waitForEvent('requestfinished', {
          predicate: (req) => req.method() !== 'GET' && req.url().startsWith(stack.baseURL),
        });
        await desk.locator('[data-testid=save-opinion]').click();
        await saved;
        // Reloaded, the detail page shows what the server now holds.
        await desk.goto(detailUrl);
        await outsideSelects(desk, '已办结').waitFor({ state: 'visible' });
        await assertFits(desk, 'the opinion page');

        // The villager reads the reply.
        await lookUpReceipt(page, receipt);
        await page.locator('[data-testid=reply]', { hasText: REPLY }).first().waitFor({ state: 'visible' });
        await assertFits(page, 'the status page');
        assert.deepEqual(
          pageErrors.map((e) => String(e)),
          [],
          'no uncaught errors (e.g. a WASM panic) on any page',
        );
      });
    });

    it(`${mode.name}: in English, chosen with the header's switch; the receipt copied (with JS) and looked up`, { timeout: 120_000 }, async () => {
      const context = await newContext(mode);
      if (mode.js) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseURL });
      const page = await context.newPage();
      await withDiagnostics(stack, page, `english-${mode.name}`, async ({ pageErrors }) => {
        await openBox(page, mode);
        await page.locator('header a.lang[hreflang=en]').click();
        await page.waitForURL((url) => new URL(url).searchParams.get('lang') === 'en');
        if (mode.js) await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        const receipt = await submitOpinion(page, 'suggestion', `English test ${randomInt(1e7, 1e8)}`, { inPlace: mode.js });
        assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'the receipt stays in English');
        assert.match(await page.locator('[data-testid=release-note]').innerText(), /arrives by \d{1,2} [A-Z][a-z]{2} \d{4}/);
        if (mode.js) {
          await page.getByRole('button', { name: 'Copy code' }).click();
          await page.getByRole('button', { name: 'Copied' }).waitFor();
          const copied = await page.evaluate(() => navigator.clipboard.readText());
          assert.equal(copied.replace(/\s+/g, ''), receipt, 'the clipboard holds the receipt');
        }
        await page.locator('a[href="/r?lang=en"]').click();
        await page.locator('input[name=receipt]').fill(receipt);
        await page.locator('form:has(input[name=receipt]) button[type=submit]').click();
        const state = page.locator('[data-testid=opinion-state]');
        await state.waitFor({ state: 'visible' });
        assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'the status page is in English');
        assert.doesNotMatch(await page.locator('main').innerText(), /[\u4e00-\u9fff]/, 'no Chinese left on the page');
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });

    it(`${mode.name}: names and addresses are confirmed before they are kept, phone numbers masked`, { timeout: 120_000 }, async () => {
      const page = await (await newContext(mode)).newPage();
      await withDiagnostics(stack, page, `screening-${mode.name}`, async ({ pageErrors, watch }) => {
        const marker = randomInt(1e7, 1e8);
        // Written the way villagers type: a plain mobile, a landline, and one by voice input.
        const text = `李主任住在张家村3组12号,办事不公 ${marker},我的电话13812345678,座机0731-8888888,家里幺三九一二三四五六七八`;
        await openBox(page, mode, 1);
        const form = page.locator('form[data-testid=opinion-form]');
        await form.locator('input[name=category][value=unfairness]').check();
        await form.locator('textarea[name=text]').fill(text);
        if (mode.js) {
          // The island previews what will be masked while the villager types.
          const preview = page.locator('[data-testid=masked-preview]');
          await preview.waitFor({ state: 'visible' });
          const previewed = await preview.innerText();
          assert.match(previewed, /13812345678[\s\S]*\[手机号\]/);
          assert.match(previewed, /0731-8888888[\s\S]*\[座机号\]/);
          assert.match(previewed, /幺三九一二三四五六七八[\s\S]*\[手机号\]/);
        }
        await form.locator('button[type=submit]').click();
        await page.locator('[data-testid=confirm-question]').waitFor({ state: 'visible' });
        assert.match(await page.locator('[data-testid=identity-warning]').innerText(), /3组12号/);
        assert.equal(await page.locator('[data-testid=receipt]').count(), 0, 'nothing is stored before confirming');
        assert.equal(await page.locator('textarea[name=text]').inputValue(), text, 'the text is kept for editing');
        await assertFits(page, 'the confirmation');
        await page.locator('input[name=category][value=unfairness]').check();
        await page.locator('form[data-testid=opinion-form] button[type=submit]').click();
        await page.locator('[data-testid=receipt]').waitFor({ state: 'visible' });

        const desk = await openInbox(mode, watch);
        const shown = await (await findRow(desk, String(marker))).innerText();
        assert.ok(shown.includes('李主任'), 'a confirmed name is kept');
        assert.ok(shown.includes('[手机号]') && !shown.includes('13812345678'), 'the phone number is masked');
        assert.ok(shown.includes('[座机号]') && !shown.includes('8888888'), 'the landline is masked');
        assert.ok(!shown.includes('一二三四五六七八'), 'the number in Chinese numerals is masked');
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });

    it(`${mode.name}: a villager may choose to leave a name and phone (实名)`, { timeout: 120_000 }, async () => {
      const page = await (await newContext(mode)).newPage();
      await withDiagnostics(stack, page, `named-${mode.name}`, async ({ pageErrors, watch }) => {
        const text = uniqueText();
        await openBox(page, mode);
        const choice = page.locator('[data-testid=named-choice]');
        assert.equal(await choice.getAttribute('open'), null, 'anonymous by default: the choice starts closed');
        await choice.locator('summary').click();
        await choice.locator('input[name=identity]').check();
        await choice.locator('input[name=contact_name]').fill('周阿姨');
        await choice.locator('input[name=contact_phone]').fill('13911112222');
        await submitOpinion(page, 'suggestion', text, { inPlace: mode.js });
        const desk = await openInbox(mode, watch);
        await (await findRow(desk, text)).locator('a').first().click();
        const contact = desk.locator('[data-testid=contact]');
        await contact.waitFor({ state: 'visible' });
        assert.match(await contact.innerText(), /周阿姨[\s\S]*13911112222/);
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });

    it(`${mode.name}: the reviewer asks a question and the villager answers with the receipt`, { timeout: 120_000 }, async () => {
      const page = await (await newContext(mode)).newPage();
      await withDiagnostics(stack, page, `thread-${mode.name}`, async ({ pageErrors, watch }) => {
        const text = uniqueText();
        await openBox(page, mode, 2);
        const receipt = await submitOpinion(page, 'other', text, { inPlace: mode.js });

        const desk = await openInbox(mode, watch);
        await (await findRow(desk, text)).locator('a').first().click();
        const ask = desk.locator('form[data-testid=ask-form]');
        await ask.locator('textarea[name=text]').fill('具体是哪一天?');
        await ask.locator('button[type=submit]').click();
        await desk.locator('[data-testid=thread]', { hasText: '具体是哪一天?' }).waitFor({ state: 'visible' });

        await lookUpReceipt(page, receipt);
        await page.locator('[data-testid=thread]', { hasText: '具体是哪一天?' }).waitFor({ state: 'visible' });
        const answer = page.locator('form[data-testid=answer-form]');
        await answer.locator('textarea[name=text]').fill('上周三,联系 13800138000');
        await answer.locator('button[type=submit]').click();
        const thread = page.locator('[data-testid=thread]');
        await thread.locator('text=上周三').waitFor({ state: 'visible' });
        const shown = await thread.innerText();
        assert.ok(shown.includes('[手机号]') && !shown.includes('13800138000'), 'the answer is masked');
        await assertFits(page, 'the status page with its thread');

        await desk.reload();
        await desk.locator('[data-testid=thread]', { hasText: '上周三' }).waitFor({ state: 'visible' });
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });

    it(`${mode.name}: a photo is sent and its camera data is not kept`, { timeout: 120_000 }, async () => {
      const page = await (await newContext(mode)).newPage();
      await withDiagnostics(stack, page, `photo-${mode.name}`, async ({ pageErrors, watch }) => {
        const text = uniqueText();
        await openBox(page, mode);
        await page.locator('input[name=photo]').setInputFiles({ name: PHOTO_NAME, mimeType: 'image/jpeg', buffer: photo });
        await submitOpinion(page, 'suggestion', text, { inPlace: mode.js });

        const desk = await openInbox(mode, watch);
        await (await findRow(desk, text)).locator('a').first().click();
        const img = desk.locator('[data-testid=photos] img').first();
        await img.waitFor({ state: 'visible' });
        await desk.waitForFunction((el) => el.complete && el.naturalWidth === 48, await img.elementHandle());
        const response = await desk.request.get(new URL(await img.getAttribute('src'), desk.url()).toString());
        assert.equal(response.status(), 200);
        const stored = await response.body();
        assert.ok(!stored.includes(PHOTO_MAKER), 'the stored photo has no camera maker');
        assert.ok(!stored.includes('Exif'), 'the stored photo has no EXIF block');
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });

    it(`${mode.name}: a villager says whom the opinion is about`, { timeout: 120_000 }, async () => {
      const page = await (await newContext(mode)).newPage();
      await withDiagnostics(stack, page, `about-${mode.name}`, async ({ pageErrors, watch }) => {
        const text = uniqueText();
        await openBox(page, mode);
        await page.locator('[data-testid=about-choice] summary').click();
        await page.locator('select[name=about]').selectOption({ label: '张德明(张家村 村党支部书记)' });
        await submitOpinion(page, 'conduct', text, { inPlace: mode.js });
        const desk = await openInbox(mode, watch);
        const row = await findRow(desk, text);
        assert.match(await row.locator('[data-testid=row-about]').innerText(), /张德明/);
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });
  }

  for (const size of SIZES) {
    const mode = { ...size, js: true };

    it(`${size.name}, JS on: a name only the server recognises is asked about before it is kept`, { timeout: 120_000 }, async () => {
      const page = await (await newContext(mode)).newPage();
      await withDiagnostics(stack, page, `server-names-${size.name}`, async ({ pageErrors }) => {
        const text = `张建国把低保名额给了亲戚 ${randomInt(1e7, 1e8)}`;
        await openBox(page, mode, 1);
        const form = page.locator('form[data-testid=opinion-form]');
        await form.locator('input[name=category][value=unfairness]').check();
        await form.locator('textarea[name=text]').fill(text);
        assert.equal(await page.locator('[data-testid=identity-warning]').count(), 0, 'no cue word in the text');
        await form.locator('button[type=submit]').click();
        await page.locator('[data-testid=confirm-question]').waitFor({ state: 'visible' });
        assert.match(await page.locator('[data-testid=identity-warning]').innerText(), /张建国/);
        assert.equal(await page.locator('[data-testid=receipt]').count(), 0, 'not stored before confirming');
        await form.locator('button[type=submit]').click();
        await page.locator('[data-testid=receipt]').waitFor({ state: 'visible' });
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });

    it(`${size.name}: the reviewer merges two similar opinions, answers both at once and sets a measure`, { timeout: 120_000 }, async () => {
      const mark = randomInt(1e7, 1e8);
      const texts = [`村口桥面裂缝越来越大,雨天车辆不敢过桥 ${mark}`, `村口那座桥桥面开裂,过桥的车辆很危险 ${mark}`];
      const receipts = [];
      for (const text of texts) receipts.push((await sendThroughApi(text, 1)).receipt);
      const villager = await (await newContext(mode)).newPage();
      await withDiagnostics(stack, villager, `merge-${size.name}`, async ({ pageErrors, watch }) => {
        const desk = await openInbox(mode, watch);
        await assertFits(desk, 'the inbox');
        for (const text of texts) {
          await (await findRow(desk, text)).locator('input[name=opinion]').check();
        }
        const merge = desk.locator('form[data-testid=merge-form]');
        await merge.locator('input[name=title]').fill(`村口桥面开裂 ${mark}`);
        await merge.locator('[data-testid=merge-selected]').click();
        await desk.waitForURL((url) => pathOf(url.toString()).startsWith('/staff/issues/'));
        assert.equal(await desk.locator('[data-testid=issue-opinion]').count(), 2);
        const handling = desk.locator('form[data-testid=issue-form]');
        await handling.locator('select[name=state]').selectOption('rectifying');
        await handling.locator('textarea[name=reply]').fill(REPLY);
        await handling.locator('[data-testid=save-issue]').click();
        await desk.locator('[data-testid=issue-state]', { hasText: '整改中' }).waitFor({ state: 'visible' });
        const measure = desk.locator('form[data-testid=measure-form]');
        await measure.locator('textarea[name=text]').fill('请县交通局鉴定桥梁,设置限行标志');
        await measure.locator('input[name=responsible]').fill('王春梅(李家湾村 村委会主任)');
        await measure.locator('input[name=due_on]').fill('2099-06-30');
        await measure.locator('[data-testid=add-measure]').click();
        const added = desk.locator('[data-testid=measure]', { hasText: '设置限行标志' });
        await added.waitFor({ state: 'visible' });
        assert.match(await added.innerText(), /2099年6月30日/, 'the due day is written out');
        await assertFits(desk, 'the issue page');
        await desk.goto(urlOf(stack, '/staff/issues'));
        await desk.locator('a', { hasText: `村口桥面开裂 ${mark}` }).first().waitFor({ state: 'visible' });
        await assertFits(desk, 'the issue list');
        await desk.goto(urlOf(stack, '/staff/ledger'));
        assert.match(await desk.locator('[data-testid=ledger-sentence]').innerText(), /梳理发现问题\d+个，制定整改措施\d+条/);
        await assertFits(desk, 'the ledger');

        for (const receipt of receipts) {
          await lookUpReceipt(villager, receipt);
          assert.match(await villager.locator('[data-testid=opinion-state]').innerText(), /整改中/);
          await villager.locator('[data-testid=merged-note]').waitFor({ state: 'visible' });
          assert.equal(await villager.locator('[data-testid=issue-reply]').innerText(), REPLY);
        }
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });

    it(`${size.name}: the reviewer filters by whom opinions are about, tags one and handles it`, { timeout: 120_000 }, async () => {
      const named = uniqueText();
      const untagged = uniqueText();
      const villager = await (await newContext(mode)).newPage();
      await withDiagnostics(stack, villager, `about-filter-${size.name}`, async ({ pageErrors, watch }) => {
        await openBox(villager, mode);
        await villager.locator('[data-testid=about-choice] summary').click();
        await villager.locator('select[name=about]').selectOption({ label: '张德明(张家村 村党支部书记)' });
        await submitOpinion(villager, 'conduct', named, { inPlace: true });
        await sendThroughApi(untagged);

        const desk = await openInbox(mode, watch);
        const filters = desk.locator('form[data-testid=queue-filters]');
        await filters.locator('select[name=about]').selectOption({ label: '张德明(张家村 村党支部书记)' });
        await filters.locator('button[type=submit]').click();
        await desk.waitForURL((url) => url.toString().includes('about=person'));
        const row = await findRow(desk, named);
        assert.equal(await desk.locator('[data-testid=opinion-row]', { hasText: untagged }).count(), 0);
        assert.match(await row.locator('[data-testid=row-about]').innerText(), /张德明/);
        await assertFits(desk, 'the filtered inbox');
        await row.locator('a').first().click();
        assert.match(await desk.locator('[data-testid=opinion-about]').innerText(), /张德明/);
        // Tags only add: the form to name someone more stays, and the person named stays.
        await desk.locator('select[name=state]').selectOption('accepted');
        await desk.locator('textarea[name=reply]').fill(REPLY);
        await desk.locator('[data-testid=save-opinion]').click();
        await desk.locator('[data-testid=opinion-state]', { hasText: '已受理' }).waitFor({ state: 'visible' });

        await desk.goto(urlOf(stack, '/staff'));
        await (await findRow(desk, untagged)).locator('a').first().click();
        const tag = desk.locator('form[data-testid=tag-form]');
        await tag.locator('select[name=about]').selectOption({ label: '李秀英(张家村 村委会主任)' });
        await tag.locator('button[type=submit]').click();
        await desk.locator('[data-testid=opinion-about]', { hasText: '李秀英' }).waitFor({ state: 'visible' });
        await assertFits(desk, 'the opinion page');
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    });
  }

  it('keeps no IP, Referer, User-Agent or cookie in the server log or the database', { timeout: 60_000 }, async (t) => {
    if (!sentinelTrafficSent) {
      t.skip('no flow sent traffic with the sentinels');
      return;
    }
    // Stop first so that logs are flushed and the database is no longer written.
    await stack.closeBrowser();
    await stack.stopServer();

    const log = stack.serverLog();
    for (const s of SENTINELS) {
      assert.ok(!log.includes(s), `server log contains ${JSON.stringify(s)}`);
    }

    const files = await stack.dataFiles();
    assert.ok(
      files.some((f) => f.path === stack.dbPath),
      `the database ${stack.dbPath} should exist (files: ${files.map((f) => f.path).join(', ')})`,
    );
    for (const { path, data } of files) {
      const bytes = data.toString('latin1');
      for (const s of SENTINELS) {
        assert.ok(!bytes.includes(s), `${path} contains ${JSON.stringify(s)}`);
      }
    }
  });
});
