// A test SMTP sink and webhook receiver on loopback, for the delivery tests.
//   node sinks.mjs DIR [FAIL_HOOKS [HOOK_DELAY_MS]]
// Listens on 127.0.0.1 (ports chosen by the system), writes "SMTP_PORT
// HOOK_PORT" to DIR/ports, each message received to DIR/mail.N (the
// envelope recipients, then the data) and each webhook body to
// DIR/hook.N (the X-Rectify-Delivery header on the first line).  The
// first FAIL_HOOKS webhook requests are answered 500; each webhook answer
// waits HOOK_DELAY_MS (a slow receiver keeps a sender's pass going long).  Exits after 300 s
// whatever happens, so a failed test leaves nothing running.
import { createServer as tcp } from 'node:net';
import { createServer as http } from 'node:http';
import { writeFileSync, renameSync } from 'node:fs';

const dir = process.argv[2];
let failHooks = Number(process.argv[3] || 0);
const hookDelay = Number(process.argv[4] || 0);
let mails = 0, hooks = 0;
setTimeout(() => process.exit(0), 300000).unref();

function save(name, text) {
	writeFileSync(`${dir}/.${name}`, text);
	renameSync(`${dir}/.${name}`, `${dir}/${name}`);
}

const smtp = tcp((s) => {
	let buf = '', data = false, rcpt = [], body = '';
	s.setEncoding('latin1');
	s.write('220 sink ESMTP\r\n');
	s.on('data', (chunk) => {
		buf += chunk;
		for (;;) {
			if (data) {
				const end = buf.indexOf('\r\n.\r\n');
				if (end < 0) return;
				body = buf.slice(0, end);
				buf = buf.slice(end + 5);
				data = false;
				save(`mail.${++mails}`, `RCPT ${rcpt.join(' ')}\r\n${body}\r\n`);
				rcpt = [];
				s.write('250 OK queued\r\n');
				continue;
			}
			const nl = buf.indexOf('\r\n');
			if (nl < 0) return;
			const line = buf.slice(0, nl);
			buf = buf.slice(nl + 2);
			const cmd = line.slice(0, 4).toUpperCase();
			if (cmd === 'EHLO') s.write('250-sink\r\n250 8BITMIME\r\n');
			else if (cmd === 'HELO') s.write('250 sink\r\n');
			else if (cmd === 'MAIL') s.write('250 OK\r\n');
			else if (cmd === 'RCPT') { rcpt.push(line.slice(8)); s.write('250 OK\r\n'); }
			else if (cmd === 'DATA') { data = true; s.write('354 go on\r\n'); }
			else if (cmd === 'QUIT') { s.write('221 bye\r\n'); s.end(); return; }
			else if (cmd === 'RSET' || cmd === 'NOOP') s.write('250 OK\r\n');
			else s.write('502 no\r\n');
		}
	});
	s.on('error', () => {});
});

const hook = http((req, res) => {
	let body = '';
	req.setEncoding('utf8');
	req.on('data', (c) => { body += c; });
	req.on('end', () => {
		if (failHooks > 0) {
			failHooks--;
			res.writeHead(500);
			res.end('no');
			return;
		}
		save(`hook.${++hooks}`, `${req.headers['x-rectify-delivery'] || ''}\n${body}\n`);
		setTimeout(() => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"errcode":0}');
		}, hookDelay);
	});
});

smtp.listen(0, '127.0.0.1', () => {
	hook.listen(0, '127.0.0.1', () => {
		save('ports', `${smtp.address().port} ${hook.address().port}\n`);
	});
});
