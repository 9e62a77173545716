// The pages on a phone and on paper, in headless Chromium: at 390 px the
// header, 我的, 台账 (as cards) and a task fit the screen; 台账 prints on
// landscape A4 with its header and no controls; a task's 销号审批表 prints
// on one A4 page; evidence that is an image is shown in place, in a
// sandbox, with a thumbnail.  Screenshots under build/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { demo, launch, login, shot, shots } from './lib.mjs';

let d, browser;

before(async () => {
	d = await demo();
	browser = await launch();
});

after(async () => {
	if (browser) await browser.close();
	if (d) await d.stop();
});

// Does the page fit its viewport without scrolling sideways?
async function fits(page) {
	return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

test('a leader reads the ledger on a phone', async () => {
	const page = await login(browser, d, 'leader', { width: 390, height: 844 });
	for (const [url, name] of [['/', 'p1-phone-home'], ['/mine', 'p2-phone-mine'], ['/tasks', 'p3-phone-ledger'],
		['/tasks/1', 'p4-phone-task']]) {
		await page.goto(d.base + url);
		assert.ok(await fits(page), url + ' is wider than the phone');
		await shot(page, name);
	}
	// The menu stays on one line (it scrolls), each item on one line.
	await page.goto(d.base + '/tasks');
	const heights = await page.locator('.nav a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height));
	assert.ok(Math.max(...heights) < 2 * Math.min(...heights), 'a menu item breaks over lines: ' + heights);
	// 台账 as cards: no table header, each row a box with its facts named.
	assert.equal(await page.locator('table.ledger thead').evaluate((e) => getComputedStyle(e).display), 'none');
	assert.equal(await page.locator('table.ledger tbody tr').first().evaluate((e) => getComputedStyle(e).display), 'grid');
	const row = page.locator('table.ledger tbody tr').first();
	assert.match(await row.locator('td.num').evaluate((e) => getComputedStyle(e, '::before').content), /第/);
	assert.match(await row.locator('td[data-label="责任领导"]').evaluate((e) => getComputedStyle(e, '::before').content),
		/责任领导/);
	await page.context().close();
});

test('the ledger and a 销号审批表 on paper', async () => {
	const page = await login(browser, d, 'admin', undefined);
	await page.goto(d.base + '/tasks');
	await page.emulateMedia({ media: 'print' });
	// No controls, no sort arrow; the table may break across pages (a table
	// kept whole would leave the first page blank).
	assert.equal(await page.locator('form.filters').evaluate((e) => getComputedStyle(e).display), 'none');
	assert.equal(await page.locator('.downloads').evaluate((e) => getComputedStyle(e).display), 'none');
	assert.equal(await page.locator('th a.sorted').evaluate((e) => getComputedStyle(e, '::after').content), 'none');
	// The office's rows have checkboxes (bulk actions) on screen, none on paper.
	const boxes = page.locator('table.ledger input[type=checkbox]');
	assert.ok(await boxes.count() > 0);
	for (const b of await boxes.all()) assert.equal(await b.isVisible(), false, 'a checkbox is printed');
	assert.notEqual(await page.locator('.tablewrap').evaluate((e) => getComputedStyle(e).breakInside), 'avoid');
	// 整改措施 and 进展情况 are printed, the screen's date column is not.
	assert.equal(await page.locator('table.ledger th.print-col').count(), 2);
	assert.equal(await page.locator('table.ledger th.screen-col').evaluate((e) => getComputedStyle(e).display), 'none');
	const raw = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	const pdf = raw.toString('latin1');
	// Landscape A4: 842 by 595 points.
	assert.match(pdf, /\/MediaBox \[0 0 841\.\d+ 59[45]\.\d+\]/);
	const file = path.join(os.tmpdir(), `rectify-ledger-print-${process.pid}.pdf`);
	fs.writeFileSync(file, raw);
	const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
	fs.copyFileSync(file, path.join(shots, 'p7-ledger-print.pdf'));
	fs.rmSync(file);
	const pages = text.split('\f').filter((p) => p.trim());
	// The demo's 12 tasks with their measures and progress: two pages, the
	// first holding the title, the header and the first task (not blank), the
	// header again on the second.
	assert.equal(pages.length, 2, 'the ledger printed on ' + pages.length + ' pages');
	assert.equal((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length, 2);
	assert.match(pages[0], /整改台账/);
	assert.match(pages[0], /理论学习系统性不强/);
	for (const p of pages) {
		const flat = p.replace(/\s+/g, '');
		for (const head of ['序号', '问题', '整改措施', '责任领导', '整改时限', '状态', '进展情况'])
			assert.ok(flat.includes(head), 'a page lacks the header ' + head);
	}
	const flat = text.replace(/\s+/g, '');
	// A task's own measure and its latest progress are on paper.
	assert.ok(flat.includes('健全党组理论学习中心组学习制度'), 'no measure printed');
	assert.ok(flat.includes('召开专题会议研究整改'), 'no progress printed');
	// No controls: filters, buttons, downloads, the menu, the pager's links.
	for (const control of ['查询', '重置', '导出全部', '导入台账', '退出', '总览', '我的', '上一页', '下一页', '关键词'])
		assert.ok(!flat.includes(control), 'the control ' + control + ' is printed');
	await shot(page, 'p7-ledger-print');
	await page.emulateMedia({ media: 'screen' });
	// The 销号审批表: reached from the task page, one portrait A4 page.
	await page.goto(d.base + '/tasks/1');
	await Promise.all([page.waitForURL(/\/tasks\/1\/form$/), page.click('a[href="/tasks/1/form"]')]);
	const form = await page.locator('table.closeout-form').innerText();
	for (const part of ['存在问题', '整改措施', '整改完成情况', '佐证材料', '审核意见', '责任单位意见', '签字'])
		assert.ok(form.includes(part), 'the form lacks ' + part);
	await shot(page, 'p5-closeout-form');
	await page.emulateMedia({ media: 'print' });
	const fp = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
	assert.equal((fp.match(/\/Type\s*\/Page[^s]/g) || []).length, 1, 'the form is not one page');
	assert.match(fp, /\/MediaBox \[0 0 59[45]\.\d+ 841\.\d+\]/);
	await page.context().close();
});

test('the office links a task to a commitment on the task page', async () => {
	const page = await login(browser, d, 'admin');
	// Task 12's measure (（四）…) states other commitments, not the twelve
	// meetings a year of （一）.
	await page.goto(d.base + '/tasks/12');
	const twelve = page.locator('ul.commit-counters li', { hasText: '不少于12次' });
	assert.equal(await twelve.count(), 0);
	const form = page.locator('form[action="/tasks/12/assign"]');
	const box = form.locator('fieldset:has(legend:text("对应的量化承诺")) input[name=commitment][value="1"]');
	assert.equal(await box.isChecked(), false);
	await box.check();
	await Promise.all([page.waitForURL(/\/tasks\/12\?ok=assign/), form.locator('button[type=submit]').click()]);
	// The measure that states it is linked beside the task's own, and the
	// task shows the commitment's counter as of the demo's day (2024-04-24:
	// one meeting held of 12 a year, 3 due by now).
	const measures = await page.locator('main').innerText();
	assert.match(measures, /健全党组理论学习中心组学习制度/);
	assert.match(measures, /每季度至少专题研究1次党建工作/);
	assert.equal(await twelve.count(), 1);
	const counter = await twelve.innerText();
	assert.match(counter, /本期完成 1 \/ 序时应达 3 \/ 要求 12次/);
	assert.equal(await page.locator('form[action="/tasks/12/assign"] input[name=commitment][value="1"]').isChecked(), true);
	await shot(page, 'p8-task-commitment');
	await page.context().close();
});

// A 2 x 2 PNG.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

test('evidence that is an image is shown in place, in a sandbox', async () => {
	const page = await login(browser, d, 'handler', undefined);
	await page.goto(d.base + '/mine');
	const href = await page.locator('main a[href^="/tasks/"]').first().getAttribute('href');
	await page.goto(d.base + href);
	await page.fill('form[action$="/progress"] textarea[name=text]', '现场照片一张。');
	const file = path.join(os.tmpdir(), `rectify-photo-${process.pid}.png`);
	fs.writeFileSync(file, png);
	await page.setInputFiles('#files', file);
	await Promise.all([page.waitForURL(/ok=progress/), page.click('form[action$="/progress"] button[type=submit]')]);
	fs.rmSync(file);
	const img = page.locator('ul.files a.thumb img').first();
	await img.waitFor();
	assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth === 2), 'the thumbnail did not load');
	const src = await img.getAttribute('src');
	assert.match(src, /^\/evidence\/\d+\?inline=1$/);
	const r = await page.request.get(d.base + src);
	assert.equal(r.headers()['content-type'], 'image/png');
	assert.match(r.headers()['content-disposition'], /^inline;/);
	assert.match(r.headers()['content-security-policy'], /sandbox/);
	// Without ?inline=1 it is a download, as every other file.
	const dl = await page.request.get(d.base + src.replace('?inline=1', ''));
	assert.match(dl.headers()['content-disposition'], /^attachment;/);
	await shot(page, 'p6-evidence-thumbnail');
	await page.context().close();
});
