// Shared by the browser tests: `rectify demo` started on a free loopback
// port with the logins it prints, Debian's Chromium through playwright-core,
// logging in as a role, screenshots under build/screenshots/, and the check
// after every test that no page showed a CSP violation or a script error.
import { afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const shots = path.join(top, 'build', 'screenshots');
const rectify = process.env.RECTIFY || path.join(top, 'build', 'rectify');

// A demo server of its own: { base, passwords, stop() }.
export async function demo() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rectify-browser-'));
	const passwords = {};
	const server = spawn(rectify, ['demo', '--listen', '127.0.0.1:0', path.join(work, 'demo.db')],
		{ stdio: ['ignore', 'pipe', 'pipe'] });
	const base = await new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error('server did not start: ' + out)), 30000);
		server.stdout.on('data', (d) => {
			out += d;
			for (const m of out.matchAll(/^  (\w+)\s+(\S+)\s/gm)) passwords[m[1]] = m[2];
			const u = out.match(/serving .* on (http:\/\/127\.0\.0\.1:\d+)/);
			if (u) { clearTimeout(timer); resolve(u[1]); }
		});
		server.stderr.on('data', (d) => process.stderr.write(d));
		server.on('exit', (code) => reject(new Error('server exited ' + code)));
	});
	const stop = async () => {
		if (server.exitCode === null) {
			const done = new Promise((r) => server.on('exit', r));
			server.kill('SIGTERM');
			await done;
		}
		fs.rmSync(work, { recursive: true, force: true });
	};
	return { base, passwords, stop };
}

export function launch() {
	fs.mkdirSync(shots, { recursive: true });
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--lang=zh-CN',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

// CSP violations and script errors seen on any watched page since the
// last test ended.  After every test of a file that imports this module the
// hook below requires there were none, so the test that caused one fails.
const problems = [];

export function watch(page) {
	page.on('console', (m) => {
		if (m.type() === 'error' && /Content Security Policy|Refused/.test(m.text())) problems.push(m.text());
	});
	page.on('pageerror', (e) => problems.push(String(e)));
}

afterEach(() => {
	assert.deepEqual(problems.splice(0), [], 'no CSP violation or script error on the pages of this test');
});

// A page logged in as user, in a viewport of the given size (watched).
export async function login(browser, d, user, viewport = { width: 1366, height: 900 }) {
	const ctx = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN',
		isMobile: viewport.width < 600, hasTouch: viewport.width < 600 });
	ctx.setDefaultTimeout(30000);
	const page = await ctx.newPage();
	watch(page);
	await page.goto(d.base + '/login');
	await page.fill('#login', user);
	await page.fill('#password', d.passwords[user]);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
	return page;
}

export async function shot(page, name) {
	await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

// The accessibility violations axe-core finds on the page as it is (WCAG
// 2.1 A and AA and best practices, as flow.test.mjs checks every page), as
// lines "rule (impact) targets -- help"; [] when none.
const axeSource = fs.readFileSync(path.join(top, 'tests', 'browser', 'node_modules', 'axe-core',
	'axe.min.js'), 'utf8');
export async function axe(page) {
	await page.evaluate(axeSource);
	const r = await page.evaluate((o) => window.axe.run(document, o), {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
		resultTypes: ['violations'],
	});
	return r.violations.map((v) => `${page.url()}: ${v.id} (${v.impact}) ` +
		v.nodes.map((n) => n.target.join(' ')).join(', ') + ' -- ' + v.help);
}
