// Clients writing to the same tasks through two servers at once, for
// tests/it/pg_race.sh.
//   node race.mjs OUT SECONDS TASKS URL_A URL_B USER:PASSWORD...
// TASKS is a comma-separated list of ID:LEADER:UNIT (the task, its leader's
// and its unit's ids, which 分解交办 names again).
// Each USER:PASSWORD is one client (several may share a user).  A client
// logs in on server A, then alternates between A and B request by request
// (its session made on one server is used on the other): it reads a task
// of TASKS for its version, then writes against that
// version what its role may -- a leader a progress entry, or 申请销号 now
// and then; a reviewer 退回 of a submitted task; an admin 分解交办 (the
// form, a new goal each time) -- all with the session's CSRF token.
// Every write is one line of OUT, written as its answer comes:
//   CLIENT OP TASK VERSION STATUS CODE TEXT
// STATUS the HTTP status, or "none" when no answer came (a server killed
// in the middle: the write may or may not have been made); CODE the
// refusal code of the JSON error, "stale" for the form's page that says
// so, "-" otherwise; TEXT the progress entry's
// unique text ("-" for other writes).  A client whose server is down
// waits a little and goes on.  Exits after SECONDS.
import { appendFileSync } from 'node:fs';

const [out, secsArg, tasksArg, urlA, urlB, ...users] = process.argv.slice(2);
const until = Date.now() + Number(secsArg) * 1000;
const tasks = tasksArg.split(',').map((t) => t.split(':'));
const servers = [urlA, urlB];
setTimeout(() => process.exit(3), Number(secsArg) * 1000 + 60000).unref();

function log(line) {
	appendFileSync(out, line + '\n');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// fetch with a bound, so that a request to a killed server ends.
async function ask(url, opts) {
	const ctl = new AbortController();
	const t = setTimeout(() => ctl.abort(), 10000);
	try {
		const res = await fetch(url, { ...opts, signal: ctl.signal, redirect: 'manual' });
		const body = await res.text();
		return { status: res.status, body, headers: res.headers };
	} finally {
		clearTimeout(t);
	}
}

async function login(base, user, password) {
	const r = await ask(`${base}/api/v1/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ login: user, password }),
	});
	if (r.status !== 200)
		throw new Error(`login of ${user}: ${r.status} ${r.body}`);
	const cookie = r.headers.get('set-cookie').split(';')[0];
	return { cookie, csrf: JSON.parse(r.body).csrf };
}

async function client(n, user, password) {
	const name = `c${n}`;
	const s = await login(servers[0], user, password);
	let turn = n, k = 0;
	while (Date.now() < until) {
		const base = servers[turn++ % 2];
		const [id, leader, unit] = tasks[Math.floor(Math.random() * tasks.length)];
		let task;
		try {
			const r = await ask(`${base}/api/v1/tasks/${id}`, { headers: { Cookie: s.cookie } });
			if (r.status !== 200)
				throw new Error(`GET task ${id} as ${user}: ${r.status} ${r.body}`);
			task = JSON.parse(r.body);
		} catch (err) {
			if (err.message.startsWith('GET'))
				throw err;
			await sleep(50); // the server is down
			continue;
		}
		const v = task.version;
		let op, path, body, type, text = '-';
		if (user.startsWith('leader') || user === 'handler') {
			if (task.status_key !== 'in_progress') {
				await sleep(20); // submitted: the reviewer's turn
				continue;
			}
			if (user !== 'handler' && Math.random() < 0.15) {
				op = 'submit';
				path = `/api/v1/tasks/${id}/submit`;
				body = JSON.stringify({ version: v });
			} else {
				op = 'progress';
				text = `竞速-${name}-${++k}`;
				path = `/api/v1/tasks/${id}/progress`;
				body = JSON.stringify({ version: v, text });
			}
			type = 'application/json';
		} else if (user === 'reviewer') {
			if (task.status_key !== 'submitted') {
				await sleep(20);
				continue;
			}
			op = 'return';
			path = `/api/v1/tasks/${id}/return`;
			body = JSON.stringify({ version: v, reason: `退回-${name}-${++k}` });
			type = 'application/json';
		} else {
			op = 'assign';
			path = `/tasks/${id}/assign`;
			body = new URLSearchParams({
				version: String(v), leader, unit, goal: `目标-${name}-${++k}`,
			}).toString();
			type = 'application/x-www-form-urlencoded';
		}
		let status = 'none', code = '-';
		try {
			const r = await ask(`${base}${path}`, {
				method: 'POST',
				headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': type,
					   Origin: base },
				body,
			});
			status = String(r.status);
			const m = /"code":"([^"]*)"/.exec(r.body);
			if (m)
				code = m[1];
			else if (r.body.includes('内容已被他人修改'))
				code = 'stale'; // the form's 409 page says it in Chinese
		} catch {
			// no answer: the server went away with the request
		}
		log(`${name} ${op} ${id} ${v} ${status} ${code} ${text}`);
	}
}

const runs = users.map((u, i) => {
	const [user, password] = u.split(':');
	return client(i, user, password);
});
await Promise.all(runs);
