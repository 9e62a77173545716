// Lights and one day, in headless Chromium: a task without a leader, unit
// or deadline shows the grey lamp with its name, 待交办, on 台账 (and its
// filter) and is counted on the dashboard; the demo's database is pinned
// at 2024-04-24, and the times it shows (a 催办's banner, the inbox) are
// of that day, never of the calendar's.  Screenshots under
// build/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demo, launch, login, shot } from './lib.mjs';

let d, browser;

before(async () => {
	d = await demo();
	browser = await launch();
	// A row of a spreadsheet ledger that names no leader, unit or deadline.
	const csv = path.join(path.dirname(d.db), 'row.csv');
	fs.writeFileSync(csv, '序号,问题,整改措施\n1,会议记录不规范，部分会议未留存记录。,规范会议记录管理。\n');
	execFileSync(d.rectify, ['--db', d.db, 'import-ledger', csv, '--campaign', '1'], { stdio: 'ignore' });
	// A 催办 from the command line, on the database's day.
	execFileSync(d.rectify, ['--db', d.db, 'task', 'urge', '6', '--as', 'reviewer', '--message', '请本周报送进展'],
		{ stdio: 'ignore', env: { ...process.env, RECTIFY_TODAY: '' } });
});

after(async () => {
	if (browser) await browser.close();
	if (d) await d.stop();
});

test('a task awaiting 交办 is grey on 台账 and counted on the dashboard', async () => {
	const page = await login(browser, d, 'admin');
	await page.goto(d.base + '/tasks');
	const row = page.locator('table.ledger tbody tr', { hasText: '会议记录不规范' });
	assert.equal(await row.locator('.light.grey').textContent(), '待交办');
	// The lamp is grey, and its name says what it means, not the colour alone.
	const lamp = await row.locator('.light.grey').evaluate((e) => getComputedStyle(e, '::before').backgroundColor);
	assert.equal(lamp, 'rgb(95, 107, 120)');
	await page.selectOption('form.filters select[name=light]', 'grey');
	await page.waitForURL(/light=grey/);
	assert.equal(await page.locator('table.ledger tbody tr').count(), 1);
	await shot(page, 'l1-ledger-grey');
	await page.goto(d.base + '/');
	const kpi = page.locator('a.kpi.grey');
	assert.equal(await kpi.locator('.n').textContent(), '1');
	assert.equal(await kpi.locator('.t').textContent(), '待交办');
	assert.equal(await kpi.getAttribute('href'), '/tasks?light=grey');
	assert.match(await page.locator(".kpis").textContent(), /3红灯（逾期）7黄灯/);
	await shot(page, 'l2-dashboard-grey');
	await page.context().close();
});

test('the demo shows its own day: the banner and the inbox', async () => {
	const page = await login(browser, d, 'leader2');
	// The calendar's date, where the server or UTC would put it.
	const now = Date.now();
	const calendar = [new Date(now).toISOString().slice(0, 10), new Date(now + 8 * 3600e3).toISOString().slice(0, 10)];
	await page.goto(d.base + '/tasks/6');
	const banner = await page.locator('.banner.urged').textContent();
	assert.match(banner, /2024-04-24 \d\d:\d\d/);
	for (const day of calendar) assert.ok(!(await page.locator('body').textContent()).includes(day), day);
	await shot(page, 'l3-banner-day');
	await page.goto(d.base + '/notifications');
	assert.match(await page.locator('.inbox-list li', { hasText: '请本周报送进展' }).textContent(), /2024-04-24 \d\d:\d\d/);
	for (const day of calendar) assert.ok(!(await page.locator('body').textContent()).includes(day), day);
	await shot(page, 'l4-inbox-day');
	await page.context().close();
});
