// Bulk actions in headless Chromium: the office ticks two tasks on 台账,
// moves them to another unit in one confirmed step and sees the result;
// a reviewer ticks tasks on the dashboard's overdue and yellow lists and
// urges them with a message, which reaches each task's page.  Every page is
// checked with axe-core (and, by lib.mjs, for CSP violations and
// script errors); screenshots under build/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demo, launch, login, shot, axe } from './lib.mjs';

let d, browser;

before(async () => {
	d = await demo();
	browser = await launch();
});

after(async () => {
	if (browser) await browser.close();
	if (d) await d.stop();
});

// The text of the ledger row of task seq, its cells joined by "|".
async function row(page, seq) {
	return page.locator('table.ledger tbody tr', { has: page.locator(`td.num:text-is("${seq}")`) })
		.evaluate((tr) => [...tr.cells].map((c) => c.textContent.trim()).join('|'));
}

test('bulk assign: the office moves two tasks to another unit', async () => {
	const page = await login(browser, d, 'admin');
	await page.goto(d.base + '/tasks');
	assert.deepEqual(await axe(page), []);
	assert.doesNotMatch(await row(page, 2), /农田建设股/);
	assert.doesNotMatch(await row(page, 6), /农田建设股/);
	await page.getByLabel('选择第 2 项').check();
	await page.getByLabel('选择第 6 项').check();
	await page.selectOption('#bulk-action', 'unit');
	await page.selectOption('#bulk-unit', { label: '农田建设股' });
	await shot(page, '40-bulk-assign-ledger');
	await page.click('form#bulk button[type=submit]');
	await page.waitForURL(/\/tasks\/bulk\/confirm/);
	assert.match(await page.locator('.bulk-summary').textContent(),
		/将对勾选的 2 项事项进行“指定责任单位：农田建设股”/);
	assert.deepEqual(await page.locator('table.bulk-list td.num').allTextContents(), ['2', '6']);
	assert.deepEqual(await axe(page), []);
	await shot(page, '41-bulk-assign-confirm');
	await Promise.all([page.waitForURL(/\/tasks\?ok=bulk/), page.click('text=确认指定责任单位（2 项）')]);
	assert.match(await page.locator('.flash.ok').textContent(), /已为 2 项事项指定责任单位/);
	assert.match(await row(page, 2), /农田建设股/);
	assert.match(await row(page, 6), /农田建设股/);
	await shot(page, '42-bulk-assign-done');
	// Each task's history holds its own entry.
	await page.goto(d.base + '/tasks/6');
	assert.match(await page.locator('body').textContent(), /农田建设股/);
	await page.context().close();
	// On a phone the rows are cards, each with its checkbox, and fit.
	const phone = await login(browser, d, 'admin', { width: 390, height: 844 });
	await phone.goto(d.base + '/tasks');
	await phone.getByLabel('选择第 3 项').check();
	assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
		'台账 with checkboxes is wider than the phone');
	await shot(phone, '47-bulk-phone-ledger');
	await phone.context().close();
});

test('bulk 催办 of "all of this filter": across pages; a task that may not be urged is named', async () => {
	const page = await login(browser, d, 'admin');
	// Every yellow task: task 3 is under review (申请销号) and stops it.
	await page.goto(d.base + '/tasks?light=yellow&per_page=2');
	await page.getByLabel('全选本页的事项').check();
	assert.equal(await page.locator('td.pick input:checked').count(), 2);
	await page.check('input[name=scope][value=all]');
	await page.selectOption('#bulk-action', 'urge');
	await Promise.all([page.waitForURL(/\/tasks\/bulk\/confirm/), page.click('form#bulk button[type=submit]')]);
	assert.match(await page.locator('.flash.err').textContent(), /没有对任何事项催办/);
	assert.deepEqual(await page.locator('table.bulk-list td.num').allTextContents(), ['3']);
	assert.match(await page.locator('table.bulk-list').textContent(), /只有“未启动”或“整改中”的事项可以催办/);
	assert.deepEqual(await axe(page), []);
	await shot(page, '46-bulk-refused');
	// The yellow tasks not started: more than the page shows, all listed.
	await page.goto(d.base + '/tasks?light=yellow&status=not_started&per_page=2');
	await page.check('input[name=scope][value=all]');
	await page.selectOption('#bulk-action', 'urge');
	await Promise.all([page.waitForURL(/\/tasks\/bulk\/confirm/), page.click('form#bulk button[type=submit]')]);
	const summary = await page.locator('.bulk-summary').textContent();
	const n = Number(summary.match(/全部 (\d+) 项/)[1]);
	assert.ok(n > 2, 'more than the page: ' + summary);
	assert.equal(await page.locator('table.bulk-list tbody tr').count(), n);
	await Promise.all([page.waitForURL(/ok=bulk/), page.click(`text=确认催办（${n} 项）`)]);
	assert.match(await page.locator('.flash.ok').textContent(), new RegExp(`已催办 ${n} 项事项`));
	assert.match(page.url(), /light=yellow&status=not_started|status=not_started&light=yellow/);
	await page.context().close();
});

test('dashboard: a reviewer urges the ticked overdue and yellow tasks', async () => {
	const page = await login(browser, d, 'reviewer');
	await page.goto(d.base + '/');
	assert.deepEqual(await axe(page), []);
	const overdue = page.locator('section.card', { has: page.locator('h2:text-is("逾期事项")') });
	const yellow = page.locator('section.card', { has: page.locator('h2:text-is("黄灯事项")') });
	await overdue.getByLabel('选择第 4 项').check();
	await yellow.getByLabel('选择第 10 项').check();
	await shot(page, '43-bulk-urge-dashboard');
	await Promise.all([page.waitForURL(/\/tasks\/bulk\/confirm/), yellow.locator('text=催办勾选的事项').click()]);
	assert.deepEqual(await page.locator('table.bulk-list td.num').allTextContents(), ['4', '10']);
	await page.fill('#bulk-message', '请于本周五前报送整改进展。');
	assert.deepEqual(await axe(page), []);
	await shot(page, '44-bulk-urge-confirm');
	await Promise.all([page.waitForURL((u) => u.pathname === '/' && /ok=bulk/.test(u.search)),
		page.click('text=确认催办（2 项）')]);
	assert.match(await page.locator('.flash.ok').textContent(), /已催办 2 项事项/);
	await shot(page, '45-bulk-urge-done');
	for (const id of [4, 10]) {
		await page.goto(d.base + '/tasks/' + id);
		assert.match(await page.locator('.banner.urged').textContent(), /请于本周五前报送整改进展/);
	}
	await page.context().close();
});
