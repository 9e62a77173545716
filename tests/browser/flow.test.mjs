// The whole flow in headless Chromium, as each role: the admin imports a
// report and assigns a task, the handler reports progress with a file, the
// leader submits, the reviewer sends it back and then approves, the
// observer can only read.  Every page visited is saved under
// build/screenshots/.  Runs Debian's /usr/bin/chromium through
// playwright-core against `rectify demo` ($RECTIFY, the sanitized binary).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(top, 'build', 'screenshots');
const rectify = process.env.RECTIFY || path.join(top, 'build', 'rectify');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-browser-'));

let server, base, browser;
const passwords = {};
const problems = [];   // CSP violations and page errors seen anywhere

function startServer() {
	return new Promise((resolve, reject) => {
		server = spawn(rectify, ['demo', '--listen', '127.0.0.1:0', path.join(work, 'demo.db')],
			{ stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		const timer = setTimeout(() => reject(new Error('server did not start: ' + out)), 30000);
		server.stdout.on('data', (d) => {
			out += d;
			for (const m of out.matchAll(/^  (\w+)\s+(\S+)\s/gm)) passwords[m[1]] = m[2];
			const u = out.match(/serving .* on (http:\/\/127\.0\.0\.1:\d+)/);
			if (u) { clearTimeout(timer); resolve(u[1]); }
		});
		server.stderr.on('data', (d) => process.stderr.write(d));
		server.on('exit', (code) => { if (!base) reject(new Error('server exited ' + code)); });
	});
}

before(async () => {
	fs.mkdirSync(shots, { recursive: true });
	base = await startServer();
	browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		// (playwright gives every launch a fresh temporary user-data-dir)

	});
});

after(async () => {
	if (browser) await browser.close();
	if (server && server.exitCode === null) {
		const done = new Promise((r) => server.on('exit', r));
		server.kill('SIGTERM');
		const code = await done;
		assert.equal(code, 0, 'the server exits cleanly on SIGTERM');
	}
	fs.rmSync(work, { recursive: true, force: true });
});

async function as(user) {
	const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
	ctx.setDefaultTimeout(30000);
	const page = await ctx.newPage();
	page.on('console', (m) => {
		if (m.type() === 'error' && /Content Security Policy|Refused/.test(m.text())) problems.push(m.text());
	});
	page.on('pageerror', (e) => problems.push(String(e)));
	await page.goto(base + '/login');
	await page.fill('#login', user);
	await page.fill('#password', passwords[user]);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
	return page;
}

async function shot(page, name) {
	await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

async function flash(page) {
	return (await page.locator('.flash').first().textContent()).trim();
}

const report = `# 县市场监管局领导班子对照检查材料

## 一、存在的问题

（一）在理论学习方面

一是学习深度不够。比如，2023年组织集中学习6次，专题研讨只有1次。

二是联系实际不紧。例如，XX篇调研报告没有提出可操作的对策。

（二）在服务企业方面

一是走访企业覆盖面窄。例如，全年走访企业32家，仅占辖区企业的5%。

## 二、原因分析

一是思想认识不到位。二是制度执行不严格。

## 三、整改措施

（一）加强理论学习。全年集中学习不少于12次，2024年6月底前完成专题研讨。

（二）深化服务企业。每月走访企业不少于5家，2024年9月底前实现重点企业全覆盖。
`;

let taskUrl;

test('admin imports a report, corrects its tree and assigns a task', async () => {
	const page = await as('admin');
	await assert.doesNotReject(page.waitForSelector('.kpis'));
	await shot(page, '01-admin-dashboard');
	await page.goto(base + '/reports');
	const file = path.join(work, '市场监管局对照检查材料.md');
	fs.writeFileSync(file, report);
	await page.setInputFiles('#file', file);
	await Promise.all([page.waitForURL(/\/reports\/\d+\?ok=imported/), page.click('form[action="/reports"] button[type=submit]')]);
	assert.match(await flash(page), /材料已导入/);
	// 材料体检: the unfilled "XX" is a placeholder finding; it links to its
	// span, which the source then marks.
	const lint = page.locator('#lint');
	assert.match(await lint.textContent(), /材料体检/);
	const finding = lint.locator('.finding', { hasText: 'XX' }).first();
	assert.equal(await finding.locator('.tag').textContent(), 'placeholder');
	await shot(page, '02-admin-report');
	await Promise.all([page.waitForURL(/span=\d+-\d+/), finding.locator('a').click()]);
	assert.equal(await page.locator('.source mark').textContent(), 'XX');
	await page.goBack();
	// Select the first problem item: its span is highlighted in the source.
	await Promise.all([page.waitForURL(/node=/), page.locator('ul.tree a', { hasText: '学习深度不够' }).first().click()]);
	assert.match(await page.locator('.source mark').textContent(), /学习深度不够/);
	await page.fill('form[action$="/rename"] input[name=lead]', '理论学习深度不够');
	await Promise.all([page.waitForURL(/ok=node/), page.click('form[action$="/rename"] button')]);
	assert.match(await page.locator('ul.tree a.sel').textContent(), /理论学习深度不够/);
	await shot(page, '03-admin-report-node');
	// The item's task, found through the ledger's text filter.
	await page.goto(base + '/tasks?q=' + encodeURIComponent('理论学习深度不够'));
	await page.locator('table.ledger a', { hasText: '理论学习深度不够' }).click();
	taskUrl = page.url();
	await page.selectOption('#leader', { label: '王建国' });
	await page.selectOption('#unit', { label: '产业发展股' });
	// The import took the deadline from the measures when they state one.
	if (await page.locator('#deadline').count()) await page.fill('#deadline', '2024-06-30');
	await page.fill('#goal', '专题研讨每季度不少于1次，学习成果形成制度。');
	await Promise.all([page.waitForURL(/ok=assign/), page.click('form[action$="/assign"] button[type=submit]')]);
	assert.match(await flash(page), /交办信息已保存/);
	assert.match(await page.locator('dl.facts').textContent(), /王建国[\s\S]*产业发展股[\s\S]*2024-06-30/);
	await shot(page, '04-admin-task-assigned');
	await page.goto(base + '/tasks');
	await shot(page, '05-admin-ledger');
	await page.emulateMedia({ media: 'print' });
	await shot(page, '05b-ledger-print');
	await page.emulateMedia({ media: 'screen' });
	await page.goto(base + '/admin');
	await shot(page, '06-admin-manage');
	await page.goto(base + '/admin/audit');
	assert.match(await flash(page), /校验通过/);
	await shot(page, '07-admin-audit');
	await page.context().close();
});

test('handler reports progress with a file', async () => {
	const page = await as('handler');
	await page.goto(base + '/mine');
	assert.match(await page.content(), /理论学习深度不够/);
	await shot(page, '08-handler-mine');
	await page.goto(taskUrl);
	await page.fill('form[action$="/progress"] textarea[name=text]', '已制定季度专题研讨计划，第一次研讨已于4月召开。');
	const ev = path.join(work, '研讨记录.txt');
	fs.writeFileSync(ev, '第一季度专题研讨记录\n');
	await page.setInputFiles('#files', ev);
	await Promise.all([page.waitForURL(/ok=progress/), page.click('form[action$="/progress"] button[type=submit]')]);
	assert.match(await flash(page), /进展已报送/);
	assert.equal(await page.locator('ul.files a', { hasText: '研讨记录.txt' }).count(), 1);
	// The handler may not submit: no such form on the page.
	assert.equal(await page.locator('form[action$="/submit"]').count(), 0);
	await shot(page, '09-handler-progress');
	await page.context().close();
});

async function act(page, action, reason) {
	if (reason) await page.fill(`form[action$="/${action}"] textarea[name=reason]`, reason);
	await Promise.all([page.waitForURL(new RegExp('ok=' + action)), page.click(`form[action$="/${action}"] button[type=submit]`)]);
}

test('leader submits, reviewer sends back, leader submits again, reviewer approves', async () => {
	let page = await as('leader');
	await page.goto(taskUrl);
	await act(page, 'submit', '按计划完成整改。');
	assert.match(await page.locator('.task-head').textContent(), /申请销号/);
	await shot(page, '10-leader-submitted');
	await page.goto(base + '/mine');
	await shot(page, '11-leader-mine');
	await page.context().close();

	page = await as('reviewer');
	await page.goto(base + '/mine');
	assert.match(await page.content(), /理论学习深度不够/);
	await shot(page, '12-reviewer-queue');
	await page.goto(taskUrl);
	const download = page.waitForEvent('download');
	await page.locator('ul.files a', { hasText: '研讨记录.txt' }).click();
	assert.equal((await download).suggestedFilename(), '研讨记录.txt');
	await act(page, 'return', '请补充第二次研讨的材料。');
	assert.match(await page.locator('.task-head').textContent(), /整改中/);
	await page.context().close();

	page = await as('leader');
	await page.goto(taskUrl);
	await act(page, 'submit');
	await page.context().close();

	page = await as('reviewer');
	await page.goto(taskUrl);
	await act(page, 'approve', '材料齐全，同意销号。');
	assert.match(await page.locator('.task-head').textContent(), /已销号/);
	assert.match(await page.locator('section', { hasText: '办理记录' }).textContent(), /退回[\s\S]*请补充第二次研讨的材料/);
	await shot(page, '13-reviewer-approved');
	await page.context().close();
});

test('observer reads everything and can change nothing', async () => {
	const page = await as('observer');
	await page.goto(taskUrl);
	assert.equal(await page.locator('main form').count(), 0);
	assert.match(await page.content(), /督导组只读/);
	await shot(page, '14-observer-task');
	// Even a hand-made request with the right CSRF token is refused.
	const status = await page.evaluate(async (url) => {
		const csrf = document.querySelector('input[name=csrf]').value;
		const r = await fetch(url + '/reopen', { method: 'POST', headers: { 'X-CSRF-Token': csrf },
			body: new URLSearchParams({ reason: 'x', version: '1' }) });
		return r.status;
	}, taskUrl);
	assert.equal(status, 403);
	for (const [p, name] of [['/', '15-observer-dashboard'], ['/commitments', '16-observer-commitments'], ['/mine', '17-observer-mine']]) {
		await page.goto(base + p);
		await shot(page, name);
	}
	const admin = await page.goto(base + '/admin');
	assert.equal(admin.status(), 403);
	await shot(page, '18-observer-forbidden');
	await page.context().close();
	assert.deepEqual(problems, [], 'no CSP violation or script error on any page');
});
