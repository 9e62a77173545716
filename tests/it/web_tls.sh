#!/bin/sh
# HTTPS through libmicrohttpd with --tls-cert/--tls-key: pages over TLS,
# Secure cookies, HSTS; and --behind-https marking cookies Secure behind a
# TLS proxy.  SIGTERM stops both cleanly (stop_server checks).
. "$TOP/tests/it/lib/web.sh"
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
	-subj /CN=127.0.0.1 >/dev/null 2>&1 || fail "openssl could not make a certificate"
start_server --tls-cert cert.pem --tls-key key.pem
case "$BASE" in https://*) ;; *) fail "the address should be https: $BASE" ;; esac
code=$(curl -sk -o body -w '%{http_code}' -D hdr -H 'Content-Type: application/json' \
	-d "{\"login\":\"admin\",\"password\":\"$(password admin)\"}" "$BASE/api/v1/login")
expect "login over TLS" 200 "$code"
grep -qi '^set-cookie: rectify_session=.*; HttpOnly; SameSite=Strict; Secure' hdr || fail "Secure cookie"
grep -qi '^strict-transport-security: max-age=' hdr || fail "HSTS"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://${BASE#https://}/healthz" || true)
[ "$code" != 200 ] || fail "plain HTTP answered on the TLS port"
stop_server
fresh_ledger
start_server --behind-https
curl -s -o /dev/null -D hdr -H 'Content-Type: application/json' \
	-d "{\"login\":\"admin\",\"password\":\"$(password admin)\"}" "$BASE/api/v1/login"
grep -qi '^set-cookie: rectify_session=.*; Secure' hdr || fail "Secure cookie behind a proxy"
echo "web_tls: ok"
