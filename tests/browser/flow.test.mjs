// The whole flow in headless Chromium, as each role: the admin imports a
// report and assigns a task, the handler reports progress with a file, the
// leader submits, the reviewer sends it back and then approves, the
// observer can only read.  Every page visited is saved under
// build/screenshots/.  Runs Debian's /usr/bin/chromium through
// playwright-core against `rectify demo` ($RECTIFY, the sanitized binary).
//
// Every page visited is checked with axe-core (WCAG 2.1 A and AA and best
// practices; GB/T 37668 holds government sites to the same) once per role:
// as soon as it has loaded, while the test goes on, and again at the end of
// the test for a page the test left before the check was done.  Any
// violation fails the test that visited the page, and so does a CSP
// violation or a script error (the hook of lib.mjs after every test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { watch } from './lib.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(top, 'build', 'screenshots');
const rectify = process.env.RECTIFY || path.join(top, 'build', 'rectify');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-browser-'));

let server, base, browser;
const axeSource = fs.readFileSync(path.join(top, 'tests', 'browser', 'node_modules', 'axe-core',
	'axe.min.js'), 'utf8');
const axeOptions = {
	runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
	resultTypes: ['violations'],
};
const audited = new Set();   // "role url" already checked
const passwords = {};

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
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--lang=zh-CN',
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

// Run axe-core on the page at url; false when the page moved on meanwhile
// (a page left for the back-forward cache would never answer).
async function audit(page, url) {
	let off, timer;
	const moved = new Promise((resolve) => {
		off = (frame) => { if (frame === page.mainFrame()) resolve(null); };
		page.on('framenavigated', off);
		timer = setTimeout(() => resolve(null), 30000);
	});
	try {
		if (page.url() !== url) return false;
		const r = await Promise.race([moved, (async () => {
			await page.evaluate(axeSource);
			return page.evaluate((o) => window.axe.run(document, o), axeOptions);
		})()]);
		if (!r || page.url() !== url) return false;
		for (const v of r.violations)
			page.a11y.violations.push(`${page.a11y.user} ${url}: ${v.id} (${v.impact}) ` +
				v.nodes.map((n) => n.target.join(' ')).join(', ') + ' -- ' + v.help);
		return true;
	} catch {
		return false;
	} finally {
		page.off('framenavigated', off);
		clearTimeout(timer);
	}
}

// The end of a role's visit: every page it saw checked, none with a
// violation; then its browser context closes.
async function leave(page) {
	const a = page.a11y;
	const missed = (await Promise.all(a.pending)).filter((url) => url);
	page.removeAllListeners('load');
	for (const url of new Set(missed)) {
		await page.goto(url);
		if (!(await audit(page, url))) a.violations.push(`${a.user} ${url}: could not be checked`);
	}
	await page.context().close();
	assert.deepEqual(a.violations, [], 'axe-core finds no accessibility violation');
}

async function as(user) {
	const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, locale: 'zh-CN' });
	ctx.setDefaultTimeout(30000);
	const page = await ctx.newPage();
	page.a11y = { user, pending: [], violations: [] };
	page.on('load', () => {
		const url = page.url();
		const key = user + ' ' + url.replace(/^https?:\/\/[^/]+/, '');
		if (audited.has(key)) return;
		audited.add(key);
		page.a11y.pending.push(audit(page, url).then((ok) => (ok ? null : url)));
	});
	watch(page);
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
	// First the preview: the tree, 材料体检 and the campaign; no task yet.
	await Promise.all([page.waitForURL(/\/reports\/preview\?stage=/), page.click('form[action="/reports"] button[type=submit]')]);
	assert.match(await page.locator('ul.tree').textContent(), /学习深度不够[\s\S]*走访企业覆盖面窄/);
	assert.match(await page.locator('#lint').textContent(), /材料体检[\s\S]*未填内容/);
	// The report is of 2023, as the demo's campaign: that one is proposed.
	assert.match(await page.locator('#campaign option:checked').textContent(), /^2023 年 · .*（当前批次）$/);
	assert.equal(await page.locator('#campaign option[value=new]').textContent(), '新建批次：2023 年 · 县市场监管局领导班子对照检查材料');
	await shot(page, '02a-admin-report-preview');
	await page.goto(base + '/tasks?q=' + encodeURIComponent('走访企业覆盖面窄'));
	assert.equal(await page.locator('table.ledger a', { hasText: '走访企业覆盖面窄' }).count(), 0);
	await page.goBack();
	await Promise.all([page.waitForURL(/\/reports\/\d+\?ok=imported/), page.click('form[action="/reports/confirm"] button[type=submit]')]);
	assert.match(await flash(page), /材料已导入/);
	// 材料体检: the unfilled "XX" is a placeholder finding; it links to its
	// span, which the source then marks.
	const lint = page.locator('#lint');
	assert.match(await lint.textContent(), /材料体检/);
	const finding = lint.locator('.finding', { hasText: 'XX' }).first();
	assert.equal(await finding.locator('.tag').textContent(), '未填内容');
	assert.equal(await finding.locator('.tag').getAttribute('title'), 'placeholder');
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
	// Split the next item: the form offers its sentences, not byte offsets.
	await Promise.all([page.waitForURL(/node=/), page.locator('ul.tree a', { hasText: '联系实际不紧' }).first().click()]);
	const choice = page.locator('form[action$="/split"] label.choice').first();
	assert.match(await choice.textContent(), /第 2 句起：例如/);
	await choice.locator('input').check();
	await Promise.all([page.waitForURL(/ok=node/), page.click('form[action$="/split"] button[type=submit]')]);
	assert.match(await page.locator('ul.tree a.sel').textContent(), /^条目例如，XX篇调研报告/);
	assert.match(await page.locator('.source mark').textContent(), /^例如，XX篇调研报告/);
	await shot(page, '03b-admin-report-split');
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
	await page.goto(base + '/audit');
	assert.match(await flash(page), /校验通过/);
	await shot(page, '07-admin-audit');
	await leave(page);
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
	await leave(page);
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
	await leave(page);

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
	await leave(page);

	page = await as('leader');
	await page.goto(taskUrl);
	// The return is at the top of the page: the reviewer, the time, the reason.
	assert.match(await page.locator('.banner.returned').textContent(), /退回[\s\S]*请补充第二次研讨的材料/);
	await shot(page, '12b-leader-returned-banner');
	await page.goto(base + '/mine');
	assert.match(await page.locator('section.attention.returned').textContent(), /理论学习深度不够/);
	await page.goto(taskUrl);
	await act(page, 'submit');
	assert.equal(await page.locator('.banner.returned').count(), 0);
	await leave(page);

	page = await as('reviewer');
	await page.goto(taskUrl);
	await act(page, 'approve', '材料齐全，同意销号。');
	assert.match(await page.locator('.task-head').textContent(), /已销号/);
	assert.match(await page.locator('section', { hasText: '办理记录' }).textContent(), /退回[\s\S]*请补充第二次研讨的材料/);
	await shot(page, '13-reviewer-approved');
	await leave(page);
});

test('leader asks for an extension, the reviewer grants it', async () => {
	let page = await as('leader');
	await page.goto(base + '/tasks/9');
	const ext = 'form[action$="/extend"]';
	await page.fill(`${ext} input[name=to]`, '2025-03-31');
	await page.fill(`${ext} textarea[name=reason]`, '需等待省级专项资金下达后实施。');
	await Promise.all([page.waitForURL(/ok=extend$/), page.click(`${ext} button[type=submit]`)]);
	assert.match(await flash(page), /延期申请已提交/);
	const card = page.locator('section', { has: page.locator('h2', { hasText: /^延期申请$/ }) });
	assert.match(await card.textContent(), /2025-03-31[\s\S]*需等待省级专项资金下达后实施[\s\S]*待审批/);
	assert.equal(await page.locator(ext).count(), 0, 'one pending request at a time');
	await shot(page, '13b-leader-extension');
	await leave(page);

	page = await as('reviewer');
	await page.goto(base + '/mine');
	const queue = page.locator('section', { has: page.locator('h2', { hasText: /^延期申请/ }) });
	await Promise.all([page.waitForURL(/\/tasks\/9/), queue.locator('a', { hasText: '风险防范意识不强' }).click()]);
	await page.fill('form[action$="/extend-decide"] textarea[name=reason]', '同意延期。');
	await Promise.all([page.waitForURL(/ok=extend-decide/), page.click('form[action$="/extend-decide"] button[value=approve]')]);
	assert.match(await page.locator('dl.facts').textContent(), /整改时限\s*2025-03-31/);
	const decided = page.locator('section', { has: page.locator('h2', { hasText: /^延期申请$/ }) });
	assert.match(await decided.textContent(), /已同意：同意延期。/);
	await shot(page, '13c-reviewer-extension-granted');
	await leave(page);
});

test('downloads: the ledger as the office and as a handler, the report from the dashboard', async () => {
	let page = await as('admin');
	await page.goto(base + '/tasks');
	await shot(page, '19-admin-ledger-downloads');
	let download = page.waitForEvent('download');
	await page.locator('.downloads a', { hasText: '导出全部（Excel）' }).click();
	let d = await download;
	assert.equal(d.suggestedFilename(), '整改台账-2024-04-24.xlsx');
	let bytes = fs.readFileSync(await d.path());
	assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a workbook is a ZIP package');
	// Filtered: the buttons say so, and the file holds the filter's tasks.
	await page.selectOption('form.filters select[name=light]', 'red');
	await page.waitForURL(/light=red/);
	const red = await page.locator('table.ledger tbody tr').count();
	download = page.waitForEvent('download');
	await page.locator('.downloads a', { hasText: '导出筛选结果（CSV）' }).click();
	d = await download;
	assert.equal(d.suggestedFilename(), '整改台账-筛选结果-2024-04-24.csv');
	const csv = fs.readFileSync(await d.path(), 'utf8');
	assert.equal(csv.trim().split('\r\n').length, 1 + red, 'a header and the red tasks');
	await shot(page, '19b-admin-ledger-filtered');
	await leave(page);

	page = await as('handler');
	await page.goto(base + '/tasks');
	assert.equal(await page.locator('.downloads a.import').count(), 0, 'only the office imports');
	download = page.waitForEvent('download');
	await page.locator('.downloads a', { hasText: '导出全部（CSV）' }).click();
	d = await download;
	assert.equal(d.suggestedFilename(), '整改台账-产业发展股-2024-04-24.csv');
	const mine = fs.readFileSync(await d.path(), 'utf8').trim().split('\r\n').slice(1);
	assert.ok(mine.length > 0);
	for (const row of mine) assert.match(row, /产业发展股/, 'only the handler\'s unit');
	// The report, from the dashboard: Word by default, HTML on request.
	await page.goto(base + '/');
	await shot(page, '20-handler-dashboard-report');
	await page.fill('.report-bar input[name=as_of]', '2024-05-31');
	await page.selectOption('.report-bar select[name=format]', 'html');
	download = page.waitForEvent('download');
	await page.click('.report-bar button[type=submit]');
	d = await download;
	assert.equal(d.suggestedFilename(), '整改落实情况报告-产业发展股-2024-05-31.html');
	assert.match(fs.readFileSync(await d.path(), 'utf8'), /整改落实情况报告[\s\S]*<svg/);
	await page.selectOption('.report-bar select[name=format]', 'docx');
	download = page.waitForEvent('download');
	await page.click('.report-bar button[type=submit]');
	d = await download;
	assert.equal(d.suggestedFilename(), '整改落实情况报告-产业发展股-2024-05-31.docx');
	await leave(page);
});

test('admin imports a spreadsheet ledger: preview, a bad row, confirm', async () => {
	const page = await as('admin');
	await page.goto(base + '/tasks');
	await Promise.all([page.waitForURL(/\/tasks\/import$/), page.click('.downloads a.import')]);
	const file = path.join(work, '县市场监管局整改台账.csv');
	fs.writeFileSync(file, '\ufeff序号,问题类别/方面,问题表现,整改措施,责任人,责任单位,完成时限,整改状态\r\n' +
		'1,服务企业,企业开办材料要求不统一，同一事项各窗口要求不同,统一材料清单并公开,王建国,产业发展股,2024-08-31,整改中\r\n' +
		'2,服务企业,涉企检查频次偏高，一家企业一年被查5次,推行“综合查一次”,周局长,市场秩序股,长期坚持,未启动\r\n' +
		'3,服务企业,投诉处理慢,,王建国,产业发展股,过几天,整改中\r\n');
	await page.setInputFiles('#sheet', file);
	await shot(page, '21-admin-import');
	await Promise.all([page.waitForURL(/stage=/), page.click('form.import-form button[type=submit]')]);
	const body = await page.locator('main').textContent();
	assert.match(body, /各列的识别结果[\s\S]*责任领导[\s\S]*第 E 列[\s\S]*责任人/);
	assert.match(body, /市场秩序股/, 'a unit to create');
	assert.match(body, /周局长/, 'a leader left out');
	assert.match(await page.locator('.bad-rows').textContent(), /4[\s\S]*整改时限“过几天”无法识别/);
	await shot(page, '22-admin-import-preview');
	// Confirming without skipping the bad row imports nothing.
	await page.click('.confirm button[type=submit]');
	await page.waitForLoadState();
	assert.match(await flash(page), /有 1 行无法识别，没有导入任何内容/);
	await page.check('input[name=skip_bad]');
	await Promise.all([page.waitForURL(/ok=ledger/), page.click('.confirm button[type=submit]')]);
	assert.match(await flash(page), /台账已导入，生成了 2 项整改事项/);
	assert.equal(await page.locator('table.ledger a', { hasText: '企业开办材料要求不统一' }).count(), 1);
	await shot(page, '23-admin-imported');
	await leave(page);
});

test('reviewer urges a task; the handler sees the banner, 我的 and the inbox', async () => {
	let page = await as('reviewer');
	await page.goto(base + '/tasks/6');
	await act(page, 'urge', '请于本周五前报送整改进展。');
	assert.match(await flash(page), /已催办/);
	await page.context().close();

	page = await as('handler');
	await page.goto(base + '/tasks/6');
	assert.match(await page.locator('.banner.urged').textContent(), /催办[\s\S]*请于本周五前报送整改进展/);
	await shot(page, '30-handler-urged-banner');
	await page.goto(base + '/mine');
	assert.match(await page.locator('section.attention.urged').textContent(), /第 6 项/);
	await shot(page, '31-handler-mine-urged');
	const unread = Number(await page.locator('a[href="/notifications"] .todo').textContent());
	assert.ok(unread > 0, 'the header counts the unread notifications');
	await page.click('a[href="/notifications"]');
	assert.match(await page.locator('.inbox-list').textContent(), /催办[\s\S]*请于本周五前报送整改进展/);
	await shot(page, '32-handler-inbox');
	await Promise.all([page.waitForURL(/ok=read/), page.click('text=全部标为已读')]);
	assert.equal(await page.locator('a[href="/notifications"] .todo').textContent(), '0');
	await page.goto(base + '/tasks');
	assert.equal(await page.locator('a[href="/notifications"] .todo').textContent(), '0');
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
		if (p === '/commitments') {
			// Two reports in the campaign: each commitment names its own.
			const text = await page.textContent('main');
			assert.match(text, /（出自《县市场监管局领导班子对照检查材料》）/);
		}
	}
	// The audit log, read-only, in words, filtered by this task.
	await page.goto(taskUrl);
	await page.click('a[href^="/audit?task="]');
	assert.match(await flash(page), /校验通过/);
	assert.match(await page.textContent('main table'), /第\d+项/);
	await page.selectOption('select[name=action]', 'progress');
	await page.click('form.filters button[type=submit]');
	assert.match(page.url(), /action=progress/);
	assert.match(await page.textContent('main table'), /报送进展/);
	await shot(page, '18b-observer-audit');
	const admin = await page.goto(base + '/admin');
	assert.equal(admin.status(), 403);
	await shot(page, '18-observer-forbidden');
	await leave(page);
});
