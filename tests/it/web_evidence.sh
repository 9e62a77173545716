#!/bin/sh
# Evidence files: a multi-megabyte upload comes back byte for byte, streamed
# from the database, also several at once; always as an attachment with a
# safe file name, nosniff, and the stored type only when it is harmless.
. "$TOP/tests/it/lib/web.sh"
start_server
login leader
login handler
login observer

# 6 MB of random bytes, under a Chinese name with a quote and a space.
head -c 6000000 /dev/urandom >big.bin
name='整改 "佐证" 材料.png'
cp big.bin "$name"
printf '<html><script>alert(1)</script></html>' >page.html
expect "upload" 200 "$(post leader /api/v1/tasks/7/progress -F text=大文件 \
	-F "files=@$name;type=image/png" -F 'files=@page.html;type=text/html')"
ids=$(grep -o '"evidence":\[[^]]*\]' body | tail -n 1 | grep -o '"id":[0-9]*' | cut -d: -f2)
big=$(echo "$ids" | sed -n 1p)
html=$(echo "$ids" | sed -n 2p)
[ -n "$big" ] && [ -n "$html" ] || fail "no evidence ids in $(head -c 300 body)"

curl -s -D hdr -o got.bin -b jar.observer "$BASE/evidence/$big"
grep -q '^HTTP/1.1 200' hdr || fail "download: $(head -n 1 hdr)"
cmp -s big.bin got.bin || fail "the 6 MB file came back different ($(wc -c <got.bin) bytes)"
grep -qi '^content-length: 6000000' hdr || fail "Content-Length"
grep -qi '^content-type: image/png' hdr || fail "a PNG keeps its type: $(grep -i content-type hdr)"
grep -qi '^x-content-type-options: nosniff' hdr || fail "nosniff"
cd_line=$(grep -i '^content-disposition:' hdr | tr -d '\r')
case $cd_line in
*"attachment; filename=\"file.png\"; filename*=UTF-8''"*) ;;
*) fail "Content-Disposition: $cd_line" ;;
esac
# The RFC 5987 name decodes to the stored name (the server made the quotes
# safe on the way in), with no raw quote, space or non-ASCII byte.
enc=${cd_line#*UTF-8\'\'}
echo "$enc" | grep -q '[" ]' && fail "raw quote or space in filename*: $enc"
echo "$enc" | LC_ALL=C grep -q '[^ -~]' && fail "raw non-ASCII in filename*: $enc"
dec=$(echo "$enc" | LC_ALL=C awk '{
	out = ""
	for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		if (c == "%") {
			n = (index("0123456789ABCDEF", substr($0, i + 1, 1)) - 1) * 16 + \
			    index("0123456789ABCDEF", substr($0, i + 2, 1)) - 1
			out = out sprintf("%c", n)
			i += 2
		} else
			out = out c
	}
	print out
}')
case $dec in
整改*佐证*材料.png) ;;
*) fail "filename* decodes to $dec" ;;
esac

# A stored text/html goes out as application/octet-stream, as an attachment.
curl -s -D hdr -o got.html -b jar.leader "$BASE/evidence/$html"
grep -qi '^content-type: application/octet-stream' hdr || fail "HTML evidence type: $(grep -i content-type hdr)"
grep -qi '^content-disposition: attachment; filename="page.html"' hdr || fail "HTML evidence disposition"
cmp -s page.html got.html || fail "the HTML file came back different"

# Four downloads at once, on the server's threads: each one whole.
pids=""
for k in 1 2 3 4; do
	curl -s -o "par.$k" -b jar.leader "$BASE/evidence/$big" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
for k in 1 2 3 4; do
	cmp -s big.bin "par.$k" || fail "parallel download $k differs"
done
# While requests for pages go on in between.
curl -s -o par.5 -b jar.leader --limit-rate 2M "$BASE/evidence/$big" &
p=$!
for k in 1 2 3 4 5 6; do expect "a page during a download" 200 "$(get leader /tasks/7)"; done
wait $p
cmp -s big.bin par.5 || fail "a slow download differs"

# HEAD gives the headers without the body.
curl -s -I -b jar.leader "$BASE/evidence/$big" >hdr
grep -qi '^content-length: 6000000' hdr || fail "HEAD Content-Length"

# Scope: a handler of another unit gets 404 for it, and nobody gets a guess.
expect "another unit's evidence" 404 "$(get handler /evidence/$big)"
expect "no such evidence" 404 "$(get leader /evidence/999999)"
expect "without a session" 303 "$(get - /evidence/$big)"

# File names: one the store cannot keep is refused and nothing is saved
# (over 255 bytes, not UTF-8, a CR or LF that the form parser would drop);
# a right-to-left override is removed, so an .exe shows as one.
entries() { sql "SELECT count(*) FROM progress WHERE task_id = 7"; }
n0=$(entries)
printf 'x' >x.pdf
long=$(printf '%0300d' 0).pdf
expect "a 304-byte file name" 400 "$(post leader /api/v1/tasks/7/progress -F text=长名 \
	-F "files=@x.pdf;filename=$long")"
grep -q '"code":"evidence-name"' body || fail "the long name is refused by name: $(cat body)"
expect "a name that is not UTF-8" 400 "$(post leader /api/v1/tasks/7/progress -F text=乱码 \
	-F "files=@x.pdf;filename=$(printf 'a\377.pdf')")"
for nl in '\r\n' '\n' '\r'; do
	printf -- "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n换行\r\n--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a${nl}b.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%%PDF-1.4\r\n--XyZ--\r\n" >mp
	code=$(post leader /api/v1/tasks/7/progress -H 'Content-Type: multipart/form-data; boundary=XyZ' \
		--data-binary @mp)
	[ "$code" = 400 ] || fail "a file name with $nl: $code $(head -c 200 body)"
done
[ "$(entries)" = "$n0" ] || fail "a refused upload saved a progress entry"
rlo=$(printf '报告\342\200\256fdp.exe')
expect "a name with a right-to-left override" 200 "$(post leader /api/v1/tasks/7/progress \
	-F text=改名 -F "files=@x.pdf;filename=$rlo")"
[ "$(sql "SELECT name FROM evidence ORDER BY id DESC LIMIT 1")" = 报告fdp.exe ] ||
	fail "the override is removed: $(sql 'SELECT name FROM evidence ORDER BY id DESC LIMIT 1')"
echo "web_evidence: ok"
