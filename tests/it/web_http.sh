#!/bin/sh
# The HTTP surface: security headers on every kind of response, cookies,
# CSRF and Origin checks, malformed and oversized requests, size limits on
# bodies and uploads, static files with ETags, logout.
. "$TOP/tests/it/lib/web.sh"
start_server
login admin
login handler

# The audit head goes to the server's log at start, as 'audit head' prints it.
logged=$(sed -n 's/.* rectify: audit head \([0-9]*:[0-9a-f]\{64\}\) .*/\1/p' server.out | head -n 1)
[ -n "$logged" ] || fail "no audit head in the server's log: $(cat server.out)"
[ "$logged" = "$("$RECTIFY" --db "$LEDGER" audit head)" ] || fail "the logged head is not the chain's"

# Headers on a page, an error, a static file, a JSON answer and a redirect.
for p in / /nope /static/app.css /api/v1/tasks /tasks/1; do
	curl -s -D hdr -o /dev/null -b jar.admin "$BASE$p"
	grep -qi "^content-security-policy: default-src 'none'; script-src 'self'; style-src 'self';.*frame-ancestors 'none'" hdr ||
		fail "CSP on $p"
	grep -qi '^x-content-type-options: nosniff' hdr || fail "nosniff on $p"
	grep -qi '^referrer-policy: same-origin' hdr || fail "Referrer-Policy on $p"
	grep -qi '^x-frame-options: DENY' hdr || fail "X-Frame-Options on $p"
done
curl -s -D hdr -o /dev/null "$BASE/"
grep -q '^HTTP/1.1 303' hdr || fail "a page without a session redirects"
grep -qi '^location: /login?next=/' hdr || fail "to the login form"
grep -qi "^content-security-policy:" hdr || fail "CSP on the redirect"
# No inline script or style anywhere in a page.
expect "dashboard" 200 "$(get admin /)"
grep -q '<script>' body && fail "inline script"
grep -q ' style=' body && fail "inline style attribute"
grep -q '<style' body && fail "inline style element"

# The session cookie: HttpOnly, SameSite=Strict, no Secure over plain HTTP.
curl -s -D hdr -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"login\":\"admin\",\"password\":\"$(password admin)\"}" "$BASE/api/v1/login"
grep -i '^set-cookie: rectify_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict' hdr >/dev/null ||
	fail "session cookie attributes: $(grep -i set-cookie hdr)"
grep -i '^set-cookie:.*Secure' hdr && fail "Secure over plain HTTP"

# The API without a session: 401 JSON; with a bad cookie too.
expect "API without session" 401 "$(get - /api/v1/tasks)"
grep -q '"error":"unauthenticated"' body || fail "401 body"
expect "API with a junk cookie" 401 "$(curl -s -o body -w '%{http_code}' -b 'rectify_session=zz' "$BASE/api/v1/tasks")"
expect "unknown API path" 404 "$(get admin /api/v1/nothing)"
grep -q '"error":"not_found","message":"' body || fail "404 JSON body"
# A page that does not exist: 404 in the chrome of whoever asks.
expect "unknown page, logged in" 404 "$(get admin /nope)"
grep -q 'class="nav"' body || fail "a logged-in 404 keeps the navigation"
grep -q '找不到这个页面' body || fail "404 title"
expect "unknown page, nobody" 404 "$(get - /nope)"
grep -q 'class="nav"' body && fail "an anonymous 404 shows the navigation"
expect "a form posted to nowhere" 404 "$(post admin /nope -d x=1)"
expect "a chunked body to nowhere" 404 \
	"$(curl -s -o body -w '%{http_code}' -b jar.admin -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/x-www-form-urlencoded' -X GET --data-binary x=1 "$BASE/nope")"
expect "healthz" 200 "$(get - /healthz)"
grep -q '"status":"ok"' body || fail "healthz body"

# CSRF: a state-changing request without the token is 403, whatever the route.
expect "API submit without CSRF" 403 \
	"$(curl -s -o body -w '%{http_code}' -b jar.admin -X POST -H 'Content-Type: application/json' -d '{}' "$BASE/api/v1/tasks/7/submit")"
grep -q '"error":"forbidden"' body || fail "403 JSON body"
expect "form without CSRF" 403 \
	"$(curl -s -o body -w '%{http_code}' -b jar.admin -d 'name=x&parent=0' "$BASE/admin/units")"
expect "form with a wrong CSRF" 403 \
	"$(curl -s -o body -w '%{http_code}' -b jar.admin -d "name=x&parent=0&csrf=$(cat csrf.handler)" "$BASE/admin/units")"
expect "logout without CSRF" 403 "$(curl -s -o body -w '%{http_code}' -b jar.admin -X POST "$BASE/logout")"
expect "another site's origin" 403 "$(post admin /admin/units -H 'Origin: http://evil.example' -d name=x -d parent=0)"
expect "form with the token" 303 "$(post admin /admin/units -d name=新单位 -d parent=0)"
# The login form carries its own token (double submit).
expect "login form without its token" 403 \
	"$(curl -s -o body -w '%{http_code}' -d "login=admin&password=$(password admin)" "$BASE/login")"

# Malformed requests.
expect "bad JSON" 400 "$(postj admin /api/v1/tasks/7/submit '{"version":')"
expect "duplicate JSON keys" 400 "$(postj admin /api/v1/tasks/7/submit '{"a":1,"a":2}')"
expect "JSON array body" 400 "$(postj admin /api/v1/tasks/7/submit '[1]')"
expect "JSON where a form is wanted" 415 "$(postj admin /admin/units '{}')"
expect "text/plain body" 415 "$(post admin /admin/units -H 'Content-Type: text/plain' -d hello)"
expect "multipart without boundary" 400 "$(post admin /admin/units -H 'Content-Type: multipart/form-data' -d x=1)"
expect "a file where none is taken" 415 "$(post admin /admin/units -F name=x -F f=@server.out)"
expect "bad page number" 400 "$(get admin '/api/v1/tasks?page=abc')"
expect "page zero" 400 "$(get admin '/api/v1/tasks?page=0')"
expect "unknown status" 400 "$(get admin '/api/v1/tasks?status=done-ish')"
expect "huge id" 404 "$(get admin /tasks/99999999999999999999)"
expect "id zero" 404 "$(get admin /tasks/0)"
expect "unknown method" 400 "$(curl -s -o body -w '%{http_code}' -X BREW -b jar.admin "$BASE/")"
expect "a body on GET" 413 "$(curl -s -o body -w '%{http_code}' -X GET -b jar.admin -d 'x=1' "$BASE/tasks")"
hdrs=""
i=0
while [ $i -lt 70 ]; do hdrs="$hdrs -H X-Junk-$i:1"; i=$((i + 1)); done
# shellcheck disable=SC2086
expect "too many headers" 431 "$(curl -s -o body -w '%{http_code}' $hdrs -b jar.admin "$BASE/")"
long=$(head -c 70000 /dev/zero | tr '\0' a)
code=$(curl -s -o body -w '%{http_code}' -b jar.admin "$BASE/tasks?q=$long")
[ "$code" -ge 400 ] && [ "$code" -lt 500 ] || fail "a 70 kB URL: $code"
# The 4 KiB bound on the URL counts its query.
q=$(head -c 4200 /dev/zero | tr '\0' a)
expect "a 4 KiB query" 414 "$(curl -s -o body -w '%{http_code}' -b jar.admin "$BASE/tasks?q=$q")"
q=$(head -c 4000 /dev/zero | tr '\0' a)
expect "a query under the bound" 200 "$(curl -s -o body -w '%{http_code}' -b jar.admin "$BASE/tasks?x=$q")"
expect "HTTP/1.1 without Host" 400 "$(curl -s -o body -w '%{http_code}' -H 'Host:' -b jar.admin "$BASE/healthz")"
expect "HTTP/1.0 without Host" 200 "$(curl -s -o body -w '%{http_code}' -0 -H 'Host:' "$BASE/healthz")"
# JSON on an upload route is bounded as JSON, by its declared length.
head -c 300000 /dev/zero | tr '\0' ' ' >big.json
expect "JSON over 256 KiB on an upload route" 413 "$(curl -s -o body -w '%{http_code}' -b jar.admin \
	-H "X-CSRF-Token: $(cat csrf.admin)" -H 'Content-Type: application/json' \
	--data-binary @big.json "$BASE/api/v1/tasks/7/progress")"
# A chunked body is not taken (411), nor one with both lengths (400).
expect "a chunked body" 411 "$(curl -s -o body -w '%{http_code}' -b jar.admin -H "X-CSRF-Token: $(cat csrf.admin)" \
	-H 'Transfer-Encoding: chunked' -H 'Content-Type: application/json' --data-binary '{}' "$BASE/api/v1/tasks/7/submit")"
code=$(curl -s -o /dev/null -w '%{http_code}' -b jar.admin -H 'Content-Length: -5' -X POST "$BASE/logout" || true)
[ "$code" = 400 ] || [ "$code" = 403 ] || [ "$code" = 413 ] || fail "negative Content-Length: $code"

# Size limits: a form body, a declared upload over the limit, one file over
# 32 MB, more than 16 files.
head -c 300000 /dev/zero | tr '\0' a >big.txt
expect "form body over 256 KiB" 413 "$(post admin /admin/units --data-urlencode name@big.txt)"
expect "declared upload over the limit" 413 \
	"$(post admin /tasks/7/progress -H 'Content-Length: 900000000' -H 'Content-Type: multipart/form-data; boundary=x' --data-binary @big.txt)"
head -c 34000000 /dev/zero >huge.bin
expect "one file over 32 MB" 413 "$(post admin /api/v1/tasks/7/progress -F text=x -F files=@huge.bin)"
grep -q '"error":"too_large"' body || fail "413 JSON body"
rm -f huge.bin
set --
i=0
while [ $i -lt 17 ]; do set -- "$@" -F "files=@server.out"; i=$((i + 1)); done
expect "17 files" 413 "$(post admin /api/v1/tasks/7/progress -F text=x "$@")"
# Nothing half-written: task 7 still has its one progress entry.
get admin /api/v1/tasks/7 >/dev/null
[ "$(grep -o '"author"' body | wc -l)" -eq 1 ] || fail "a refused upload left progress behind"

# Static files: cacheable, with an ETag that answers 304.
curl -s -D hdr -o /dev/null "$BASE/static/app.css"
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p' hdr)
[ -n "$etag" ] || fail "no ETag"
grep -qi '^cache-control: public, max-age=31536000, immutable' hdr || fail "static cache-control"
expect "If-None-Match" 304 "$(curl -s -o body -w '%{http_code}' -H "If-None-Match: $etag" "$BASE/static/app.css")"
curl -s -D hdr -o /dev/null -b jar.admin "$BASE/tasks"
grep -qi '^cache-control: no-store' hdr || fail "pages are no-store"

# Logout ends the session for good.
expect "logout" 303 "$(post handler /logout)"
expect "after logout" 401 "$(get handler /api/v1/tasks)"
echo "web_http: ok"
