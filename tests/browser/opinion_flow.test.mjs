// End-to-end opinion flow in a phone-sized Chromium, with and without JavaScript:
// submit through a box's QR URL, look the receipt up, handle it as a reviewer,
// read the reply; then check that no request metadata reached logs or database.
// Run: cargo build -p mashangshuo && scripts/build-wasm.sh && node --test tests/browser/

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MOBILE_CONTEXT, startStack, urlOf, withDiagnostics } from './harness.mjs';

const WAIT_MS = 20_000; // upper bound for any single wait (hydration, navigation, selector)
const REPLY = '已处理,谢谢反映';

// Sent by the JS-on test; none of them may be stored or logged. X-Forwarded-For,
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
async function jpegWithExif(page) {
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

async function newContext(options = {}) {
  const context = await stack.browser.newContext({ ...MOBILE_CONTEXT, ...options });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
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
 * Releases the waiting opinions (as the batch timer would), then logs in as the demo
 * reviewer and waits for the staff inbox (/staff).
 */
async function logInAsReviewer(page) {
  await stack.releaseWaiting();
  const { username, password } = stack.demo.reviewer;
  await page.goto(urlOf(stack, '/staff/login'));
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form:has(input[name=password]) button[type=submit]').click();
  await page.waitForURL((url) => pathOf(url.toString()) === '/staff');
}

/** The inbox row showing the given opinion text. */
async function findRow(page, text) {
  const row = page.locator('[data-testid=opinion-row]', { hasText: text });
  await row.first().waitFor({ state: 'visible' });
  return row.first();
}

describe('opinion flow (mobile Chromium)', { concurrency: 1 }, () => {
  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  it('JS on: hydrated island submits in place, reviewer replies, reply is visible', { timeout: 180_000 }, async () => {
    const context = await newContext({ userAgent: SENTINEL_UA, extraHTTPHeaders: SENTINEL_HEADERS });
    await context.addCookies([{ ...SENTINEL_COOKIE, url: stack.baseURL }]);
    const page = await context.newPage();
    try {
      await withDiagnostics(stack, page, 'js-on', async ({ pageErrors }) => {
        const text = uniqueText();

        // Box page, hydrated.
        const boxUrl = urlOf(stack, stack.demo.boxes[0].url);
        await page.setExtraHTTPHeaders(SENTINEL_REFERER);
        await page.goto(boxUrl);
        sentinelTrafficSent = true;
        await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        const h1 = (await page.locator('h1').first().innerText()).trim();
        assert.ok(h1.length > 0, 'the box page has an h1');
        assert.ok((await page.locator('body').innerText()).includes('领导小组'), 'the page mentions 领导小组');

        // Submit through the island: no page navigation, same URL.
        const urlBefore = page.url();
        const receipt = await submitOpinion(page, 'conduct', text, { inPlace: true });
        assert.equal(page.url(), urlBefore, 'the URL must not change (submitted in place)');
        assert.match(await page.locator('[data-testid=release-note]').innerText(), /最迟 \d{4}年\d{1,2}月\d{1,2}日 送达/);
        await page.setExtraHTTPHeaders({}); // drop the Referer before any form navigation

        // Status page knows the receipt; the opinion waits for its batch.
        await lookUpReceipt(page, receipt);
        assert.equal((await page.locator('[data-testid=opinion-state]').innerText()).trim(), '等待送达');

        // Reviewer closes it with a reply.
        await logInAsReviewer(page);
        const row = await findRow(page, text);
        await row.locator('a').first().click();
        const state = page.locator('select[name=state]');
        await state.waitFor({ state: 'visible' });
        const detailUrl = page.url();
        await state.selectOption('closed');
        await page.locator('textarea[name=reply]').fill(REPLY);
        const saved = page.waitForEvent('requestfinished', {
          predicate: (req) => req.method() !== 'GET' && req.url().startsWith(stack.baseURL),
        });
        await page.locator('[data-testid=save-opinion]').click();
        await saved;
        // Reload the detail page: the new state must be what the server now shows
        // (text outside the <select>, whose options always contain every state).
        await page.goto(detailUrl);
        await page
          .locator('xpath=//body//*[not(self::option) and not(self::select) and not(self::script) and not(ancestor::select)][text()[contains(., "已办结")]]')
          .first()
          .waitFor({ state: 'visible' });

        // The citizen sees the reply.
        await lookUpReceipt(page, receipt);
        await page.locator('[data-testid=reply]', { hasText: REPLY }).first().waitFor({ state: 'visible' });

        assert.deepEqual(
          pageErrors.map((e) => String(e)),
          [],
          'no uncaught errors (e.g. a WASM panic) on any page',
        );
      });
    } finally {
      await context.close();
    }
  });

  it('JS off: server-rendered form posts, receipt shown, reviewer sees it', { timeout: 180_000 }, async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await withDiagnostics(stack, page, 'js-off', async () => {
        const text = uniqueText();
        await page.goto(urlOf(stack, stack.demo.boxes[1].url));
        await submitOpinion(page, 'suggestion', text);
        await logInAsReviewer(page);
        await findRow(page, text);
      });
    } finally {
      await context.close();
    }
  });

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? 'JS on' : 'JS off';
    it(`desktop, ${mode}: the opinion is sent, its receipt looked up, the reviewer sees it`, { timeout: 120_000 }, async () => {
      const context = await newContext({ viewport: { width: 1280, height: 800 }, isMobile: false, javaScriptEnabled });
      const page = await context.newPage();
      try {
        await withDiagnostics(stack, page, `desktop-${mode}`, async () => {
          const text = uniqueText();
          await page.goto(urlOf(stack, stack.demo.boxes[0].url));
          if (javaScriptEnabled) await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
          const receipt = await submitOpinion(page, 'suggestion', text, { inPlace: javaScriptEnabled });
          await lookUpReceipt(page, receipt);
          await logInAsReviewer(page);
          await findRow(page, text);
        });
      } finally {
        await context.close();
      }
    });
  }

  it('JS on: numbers to be masked are previewed, names need a confirmation', { timeout: 120_000 }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await withDiagnostics(stack, page, 'screening-js-on', async ({ pageErrors }) => {
        const marker = randomInt(1e7, 1e8);
        const text = `王书记把低保给了亲戚 ${marker},我的电话13812345678`;
        await page.goto(urlOf(stack, stack.demo.boxes[2].url));
        await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        const form = page.locator('form[data-testid=opinion-form]');
        await form.locator('input[name=category][value=unfairness]').check();
        await form.locator('textarea[name=text]').fill(text);
        const preview = page.locator('[data-testid=masked-preview]');
        await preview.waitFor({ state: 'visible' });
        assert.match(await preview.innerText(), /13812345678[\s\S]*\[手机号\]/);
        const warning = page.locator('[data-testid=identity-warning]');
        assert.match(await warning.innerText(), /王书记/);

        const urlBefore = page.url();
        await form.locator('button[type=submit]').click();
        await page.locator('[data-testid=confirm-question]').waitFor({ state: 'visible' });
        assert.equal(await page.locator('[data-testid=receipt]').count(), 0, 'nothing is sent before confirming');
        await form.locator('button[type=submit]').click();
        await page.locator('[data-testid=receipt]').waitFor({ state: 'visible' });
        assert.equal(page.url(), urlBefore, 'sent in place');

        await logInAsReviewer(page);
        const row = await findRow(page, String(marker));
        const shown = await row.innerText();
        assert.ok(shown.includes('王书记'), 'names are kept');
        assert.ok(shown.includes('[手机号]') && !shown.includes('13812345678'), 'the phone number is masked');
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    } finally {
      await context.close();
    }
  });

  it('JS on: a name only the server recognises is asked about before it is kept', { timeout: 120_000 }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await withDiagnostics(stack, page, 'server-names-js-on', async ({ pageErrors }) => {
        const marker = randomInt(1e7, 1e8);
        const text = `张建国把低保名额给了亲戚 ${marker}`;
        await page.goto(urlOf(stack, stack.demo.boxes[1].url));
        await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
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
    } finally {
      await context.close();
    }
  });

  it('JS off: the server asks for confirmation before keeping a name or address', { timeout: 120_000 }, async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await withDiagnostics(stack, page, 'screening-js-off', async () => {
        const marker = randomInt(1e7, 1e8);
        const text = `李主任住在张家村3组12号,办事不公 ${marker}`;
        await page.goto(urlOf(stack, stack.demo.boxes[1].url));
        const form = page.locator('form[data-testid=opinion-form]');
        await form.locator('input[name=category][value=unfairness]').check();
        await form.locator('textarea[name=text]').fill(text);
        await form.locator('button[type=submit]').click();
        await page.locator('[data-testid=confirm-question]').waitFor({ state: 'visible' });
        assert.match(await page.locator('[data-testid=identity-warning]').innerText(), /3组12号/);
        assert.equal(await page.locator('textarea[name=text]').inputValue(), text, 'the text is kept for editing');
        await page.locator('input[name=category][value=unfairness]').check();
        await page.locator('form[data-testid=opinion-form] button[type=submit]').click();
        await page.locator('[data-testid=receipt]').waitFor({ state: 'visible' });
      });
    } finally {
      await context.close();
    }
  });

  it('JS on: a villager may choose to leave a name and phone (实名)', { timeout: 120_000 }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await withDiagnostics(stack, page, 'named-js-on', async ({ pageErrors }) => {
        const text = uniqueText();
        await page.goto(urlOf(stack, stack.demo.boxes[0].url));
        await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        const choice = page.locator('[data-testid=named-choice]');
        assert.equal(await choice.getAttribute('open'), null, 'anonymous by default: the choice starts closed');
        await choice.locator('summary').click();
        await choice.locator('input[name=identity]').check();
        await choice.locator('input[name=contact_name]').fill('周阿姨');
        await choice.locator('input[name=contact_phone]').fill('13911112222');
        await submitOpinion(page, 'suggestion', text, { inPlace: true });
        await logInAsReviewer(page);
        const row = await findRow(page, text);
        await row.locator('a').first().click();
        const contact = page.locator('[data-testid=contact]');
        await contact.waitFor({ state: 'visible' });
        assert.match(await contact.innerText(), /周阿姨[\s\S]*13911112222/);
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    } finally {
      await context.close();
    }
  });

  it('JS off: the reviewer asks a question and the villager answers with the receipt', { timeout: 120_000 }, async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await withDiagnostics(stack, page, 'thread-js-off', async () => {
        const text = uniqueText();
        await page.goto(urlOf(stack, stack.demo.boxes[2].url));
        const receipt = await submitOpinion(page, 'other', text);

        await logInAsReviewer(page);
        const row = await findRow(page, text);
        await row.locator('a').first().click();
        const ask = page.locator('form[data-testid=ask-form]');
        await ask.locator('textarea[name=text]').fill('具体是哪一天?');
        await ask.locator('button[type=submit]').click();
        await page.locator('[data-testid=thread]', { hasText: '具体是哪一天?' }).waitFor({ state: 'visible' });

        await lookUpReceipt(page, receipt);
        await page.locator('[data-testid=thread]', { hasText: '具体是哪一天?' }).waitFor({ state: 'visible' });
        const answer = page.locator('form[data-testid=answer-form]');
        await answer.locator('textarea[name=text]').fill('上周三,联系 13800138000');
        await answer.locator('button[type=submit]').click();
        const thread = page.locator('[data-testid=thread]');
        await thread.locator('text=上周三').waitFor({ state: 'visible' });
        const shown = await thread.innerText();
        assert.ok(shown.includes('[手机号]') && !shown.includes('13800138000'), 'the answer is masked');
      });
    } finally {
      await context.close();
    }
  });

  it('JS on: a photo goes through the island and its camera data is not kept', { timeout: 120_000 }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    try {
      await withDiagnostics(stack, page, 'photo-js-on', async ({ pageErrors }) => {
        const text = uniqueText();
        await page.goto(urlOf(stack, stack.demo.boxes[0].url));
        await page.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        const photo = await jpegWithExif(page);
        assert.ok(photo.includes(PHOTO_MAKER), 'the test photo carries the sentinel');
        await page.locator('input[name=photo]').setInputFiles({ name: PHOTO_NAME, mimeType: 'image/jpeg', buffer: photo });
        await submitOpinion(page, 'suggestion', text, { inPlace: true });

        await logInAsReviewer(page);
        const row = await findRow(page, text);
        await row.locator('a').first().click();
        const img = page.locator('[data-testid=photos] img').first();
        await img.waitFor({ state: 'visible' });
        await page.waitForFunction((el) => el.complete && el.naturalWidth === 48, await img.elementHandle());
        const response = await page.request.get(new URL(await img.getAttribute('src'), page.url()).toString());
        assert.equal(response.status(), 200);
        const stored = await response.body();
        assert.ok(!stored.includes(PHOTO_MAKER), 'the stored photo has no camera maker');
        assert.ok(!stored.includes('Exif'), 'the stored photo has no EXIF block');
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    } finally {
      await context.close();
    }
  });

  it('phone: the reviewer merges two similar opinions, answers both at once and sets a measure', { timeout: 120_000 }, async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const mark = randomInt(1e7, 1e8);
      const first = `村口桥面裂缝越来越大,雨天车辆不敢过桥 ${mark}`;
      const second = `村口那座桥桥面开裂,过桥的车辆很危险 ${mark}`;
      const receipts = [];
      await withDiagnostics(stack, page, 'merge-villagers', async () => {
        for (const text of [first, second]) {
          await page.goto(urlOf(stack, stack.demo.boxes[1].url));
          receipts.push(await submitOpinion(page, 'suggestion', text));
        }
      });
      await withDiagnostics(stack, page, 'merge-reviewer', async ({ pageErrors }) => {
        await logInAsReviewer(page);
        for (const text of [first, second]) {
          await (await findRow(page, text)).locator('input[name=opinion]').check();
        }
        const merge = page.locator('form[data-testid=merge-form]');
        await merge.locator('input[name=title]').fill(`村口桥面开裂 ${mark}`);
        await merge.locator('[data-testid=merge-selected]').click();
        await page.waitForURL((url) => pathOf(url.toString()).startsWith('/staff/issues/'));
        assert.equal(await page.locator('[data-testid=issue-opinion]').count(), 2);
        const handling = page.locator('form[data-testid=issue-form]');
        await handling.locator('select[name=state]').selectOption('rectifying');
        await handling.locator('textarea[name=reply]').fill(REPLY);
        await handling.locator('[data-testid=save-issue]').click();
        await page.locator('[data-testid=issue-state]', { hasText: '整改中' }).waitFor({ state: 'visible' });
        const measure = page.locator('form[data-testid=measure-form]');
        await measure.locator('textarea[name=text]').fill('请县交通局鉴定桥梁,设置限行标志');
        await measure.locator('input[name=responsible]').fill('王春梅(李家湾村 村委会主任)');
        await measure.locator('input[name=due_on]').fill('2099-06-30');
        await measure.locator('[data-testid=add-measure]').click();
        await page.locator('[data-testid=measure]', { hasText: '设置限行标志' }).waitFor({ state: 'visible' });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        const viewport = page.viewportSize().width;
        assert.ok(wide <= viewport, `no horizontal scrolling on a phone (scrollWidth ${wide} > ${viewport})`);
        await page.goto(urlOf(stack, '/staff/ledger'));
        assert.match(await page.locator('[data-testid=ledger-sentence]').innerText(), /梳理发现问题\d+个,制定整改措施\d+条/);
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
      const villager = await context.newPage();
      await withDiagnostics(stack, villager, 'merge-receipts', async () => {
        for (const receipt of receipts) {
          await lookUpReceipt(villager, receipt);
          assert.match(await villager.locator('[data-testid=opinion-state]').innerText(), /整改中/);
          await villager.locator('[data-testid=merged-note]').waitFor({ state: 'visible' });
          assert.equal(await villager.locator('[data-testid=issue-reply]').innerText(), REPLY);
        }
      });
    } finally {
      await context.close();
    }
  });

  it('desktop: the reviewer filters by whom opinions are about, tags one and handles it', { timeout: 120_000 }, async () => {
    const phone = await newContext();
    const desk = await stack.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    desk.setDefaultTimeout(WAIT_MS);
    try {
      const villager = await phone.newPage();
      const named = uniqueText();
      const untagged = uniqueText();
      await withDiagnostics(stack, villager, 'about-choice', async () => {
        await villager.goto(urlOf(stack, stack.demo.boxes[0].url));
        await villager.locator('html[data-hydrated="1"]').waitFor({ state: 'attached' });
        await villager.locator('[data-testid=about-choice] summary').click();
        await villager.locator('select[name=about]').selectOption({ label: '张德明(张家村 村党支部书记)' });
        await submitOpinion(villager, 'conduct', named, { inPlace: true });
        await villager.goto(urlOf(stack, stack.demo.boxes[0].url));
        await submitOpinion(villager, 'conduct', untagged);
      });
      const page = await desk.newPage();
      await withDiagnostics(stack, page, 'reviewer-desktop', async ({ pageErrors }) => {
        await logInAsReviewer(page);
        const filters = page.locator('form[data-testid=queue-filters]');
        await filters.locator('select[name=about]').selectOption({ label: '张德明(张家村 村党支部书记)' });
        await filters.locator('button[type=submit]').click();
        await page.waitForURL((url) => url.toString().includes('about=person'));
        const row = await findRow(page, named);
        assert.equal(await page.locator('[data-testid=opinion-row]', { hasText: untagged }).count(), 0);
        assert.match(await row.locator('[data-testid=row-about]').innerText(), /张德明/);
        await row.locator('a').first().click();
        assert.match(await page.locator('[data-testid=opinion-about]').innerText(), /张德明/);
        assert.equal(await page.locator('form[data-testid=tag-form]').count(), 0, 'a tagged opinion cannot be re-tagged');
        await page.locator('select[name=state]').selectOption('accepted');
        await page.locator('textarea[name=reply]').fill(REPLY);
        await page.locator('[data-testid=save-opinion]').click();
        await page.locator('[data-testid=opinion-state]', { hasText: '已受理' }).waitFor({ state: 'visible' });

        await page.goto(urlOf(stack, '/staff'));
        await (await findRow(page, untagged)).locator('a').first().click();
        const tag = page.locator('form[data-testid=tag-form]');
        await tag.locator('select[name=about]').selectOption({ label: '李秀英(张家村 村委会主任)' });
        await tag.locator('button[type=submit]').click();
        await page.locator('[data-testid=opinion-about]', { hasText: '李秀英' }).waitFor({ state: 'visible' });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= 1280, `no horizontal scrolling at desktop width (scrollWidth ${wide})`);
        assert.deepEqual(pageErrors.map((e) => String(e)), []);
      });
    } finally {
      await phone.close();
      await desk.close();
    }
  });

  it('keeps no IP, Referer, User-Agent or cookie in the server log or the database', { timeout: 60_000 }, async (t) => {
    if (!sentinelTrafficSent) {
      t.skip('the JS-on test sent no traffic with the sentinels');
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
