#!/bin/sh
# The package, installed as an administrator would: DEB=build/deb/rectify_*.deb
# (make deb-check runs this as root; tools/run-it.sh leaves it out).  Exit
# status 77: skipped (not root, or no overlay file system here).
#
# The fresh root is a copy-on-write overlay of this machine's own root: the
# package's dependencies are there as on any Debian machine with them
# installed, and everything the installation writes (the user, /etc,
# /var/lib/rectify) goes to a throw-away upper layer.  systemd cannot run as
# PID 1 in it, so the unit's ExecStart runs as the unit would run it: as
# its user, in its working directory, with its umask, no new privileges
# and no capabilities (the namespaces of PrivateTmp= and the like are not
# reproduced).  policy-rc.d keeps the maintainer scripts from starting
# anything.
#
# It checks: the installation (user, conffile, state directory, the first
# admin's generated password); systemd-analyze verify and security on the
# installed units; the service started from the unit, a login over HTTP on
# loopback, a restart with the data and the session surviving it; the
# backup timer's command (kept N, verified); an upgrade to a rebuilt
# package over a database of the previous schema (a verified backup first,
# then the schema upgraded by the service); a failed schema upgrade (the
# service refuses to start and says why, the database unchanged); restore.
set -eu
: "${DEB:?DEB=path/to/rectify_VERSION_ARCH.deb}"
[ "$(id -u)" = 0 ] || { echo "deb_install: skipped: it needs root (an overlay mount)"; exit 77; }
DEB=$(readlink -f "$DEB")
work=$(mktemp -d /tmp/rectify-deb.XXXXXX)
root=$work/root
mounted=""
cleanup() {
	set +e
	[ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	for m in $mounted; do umount "$m" || umount -l "$m"; done
	umount "$root" || umount -l "$root"
	rm -rf "$work"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	[ -f "$work/server.err" ] && tail -n 20 "$work/server.err" >&2
	exit 1
}
step() { echo "== $*"; }

mkdir -p "$work/upper" "$work/ovl" "$root"
if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/ovl" "$root"; then
	echo "deb_install: skipped: this machine cannot mount an overlay (a container without"
	echo "deb_install: CAP_SYS_ADMIN?); install the package on a test server instead"
	exit 77
fi
for d in proc dev sys; do
	mount --bind "/$d" "$root/$d"
	mounted="$root/$d $mounted"
done
mount -t tmpfs tmpfs "$root/run"
mounted="$root/run $mounted"
mount -t tmpfs tmpfs "$root/tmp"
mounted="$root/tmp $mounted"
in_root() { chroot "$root" "$@"; }
getent passwd rectify >/dev/null && fail "this machine has a user rectify already"
in_root sh -c '! dpkg-query -W rectify 2>/dev/null' || fail "rectify is installed on this machine"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

install_deb() { # FILE
	cp "$1" "$root/tmp/pkg.deb"
	DEBIAN_FRONTEND=noninteractive in_root dpkg --force-confdef --force-confold \
		-i /tmp/pkg.deb >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out"; fail "dpkg -i"; }
	grep '^rectify\|^initialised\|^the password\|^backed up' "$work/dpkg.out" | sed 's/^/   /'
	true
}

step "install $(basename "$DEB")"
install_deb "$DEB"
in_root getent passwd rectify | grep -q ':/var/lib/rectify:' || fail "the system user"
[ -f "$root/etc/rectify/rectify.conf" ] || fail "the conffile"
grep -qx /etc/rectify/rectify.conf "$root/var/lib/dpkg/info/rectify.conffiles" || fail "not a conffile"
[ "$(in_root stat -c %U:%a /var/lib/rectify)" = rectify:750 ] || fail "state directory"
[ "$(in_root stat -c %U /var/lib/rectify/rectify.db)" = rectify ] || fail "database owner"
pw=$(sed -n "s/^the password of 'admin' is \([^ ]*\) .*/\1/p" "$work/dpkg.out")
[ ${#pw} -eq 16 ] || { cat "$work/dpkg.out"; fail "no generated password shown"; }
in_root man -w rectify >/dev/null || fail "rectify(1)"

step "systemd-analyze"
in_root systemd-analyze verify /lib/systemd/system/rectify.service \
	/lib/systemd/system/rectify-backup.service /lib/systemd/system/rectify-backup.timer \
	>"$work/verify.out" 2>&1 || { cat "$work/verify.out"; fail "systemd-analyze verify"; }
# In a chroot systemd-analyze cannot load the unit's default dependencies;
# anything else it says is a finding.
if grep -v 'sysinit.target\|basic.target\|shutdown.target\|timers.target\|paths.target' \
	"$work/verify.out" | grep -q .; then
	cat "$work/verify.out"
	fail "systemd-analyze verify has findings"
fi
for u in rectify.service rectify-backup.service; do
	systemd-analyze security --offline=true --root="$root" "$u" >"$work/sec.out" 2>&1 ||
		true
	score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]* [A-Z]*\).*/\1/p' \
		"$work/sec.out")
	[ -n "$score" ] || { cat "$work/sec.out"; fail "no security score for $u"; }
	echo "systemd-analyze security $u: $score"
done

# The administrator's edits: a free port on loopback (this machine is
# shared), two backups kept.
conf=$root/etc/rectify/rectify.conf
sed -i 's/^listen = .*/listen = 127.0.0.1:0/; s/^backup_keep = .*/backup_keep = 2/' "$conf"

# exec_start UNIT: its ExecStart, run as the unit runs it, in place of the
# calling (sub)shell, so that $! is the service's process.
exec_start() {
	cmd=$(sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/$1")
	user=$(sed -n 's/^User=//p' "$root/lib/systemd/system/$1")
	dir=$(sed -n 's/^WorkingDirectory=//p' "$root/lib/systemd/system/$1")
	mask=$(sed -n 's/^UMask=//p' "$root/lib/systemd/system/$1")
	exec chroot "$root" setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs \
		--inh-caps=-all --bounding-set=-all -- \
		sh -c "cd '$dir' && umask $mask && exec $cmd"
}
as_rectify() { in_root runuser -u rectify -- "$@"; }

start() {
	rm -f "$work/server.out"
	exec_start rectify.service >"$work/server.out" 2>"$work/server.err" &
	SPID=$!
	i=0
	while ! grep -q 'serving .* on http://127.0.0.1:[0-9]' "$work/server.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "the service did not start"
		kill -0 "$SPID" 2>/dev/null || fail "the service exited"
		sleep 0.1
	done
	BASE=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/server.out" | tail -n 1)
}
stop() {
	kill -TERM "$SPID"
	st=0
	wait "$SPID" || st=$?
	SPID=""
	[ $st = 0 ] || fail "the service exited with $st on SIGTERM"
}
login() {
	code=$(curl -s -o "$work/body" -w '%{http_code}' -c "$work/jar" -H 'Content-Type: application/json' \
		-d "{\"login\":\"admin\",\"password\":\"$pw\"}" "$BASE/api/v1/login")
	[ "$code" = 200 ] || fail "login: $code $(cat "$work/body")"
}

step "start from the unit, log in, restart"
start
login
as_rectify rectify --config /etc/rectify/rectify.conf unit add 办公室 >/dev/null
as_rectify rectify --config /etc/rectify/rectify.conf campaign new --year 2026 --title 整改 >/dev/null
stop
start
code=$(curl -s -o "$work/body" -w '%{http_code}' -b "$work/jar" "$BASE/api/v1/tasks")
[ "$code" = 200 ] || fail "the session after a restart: $code"
as_rectify rectify --config /etc/rectify/rectify.conf unit list | grep -q 办公室 ||
	fail "the data after a restart"
login
stop

step "the backup timer's command"
for i in 1 2 3; do (exec_start rectify-backup.service) >>"$work/backup.out"; done
grep -q verified "$work/backup.out" || fail "backup: $(cat "$work/backup.out")"
n=$(ls "$root/var/lib/rectify/backups" | grep -c '^rectify-[0-9-]*\.db$')
[ "$n" = 2 ] || fail "backup_keep = 2 kept $n"

step "upgrade over a database of the previous schema"
# What the previous release left: the last migration undone
# (tests/it/lib/schema-down-N.sql).
N=$(as_rectify sqlite3 /var/lib/rectify/rectify.db 'PRAGMA user_version')
P=$((N - 1))
down=$(dirname "$0")/lib/schema-down-$N.sql
[ -f "$down" ] || fail "no $down: write it for the new migration"
cp "$down" "$root/tmp/down.sql"
as_rectify sqlite3 /var/lib/rectify/rectify.db ".read /tmp/down.sql"
[ "$(as_rectify sqlite3 /var/lib/rectify/rectify.db 'PRAGMA user_version')" = $P ] || fail "$down"
# The same package rebuilt as a newer version.
dpkg-deb -R "$DEB" "$work/pkg"
old=$(sed -n 's/^Version: //p' "$work/pkg/DEBIAN/control")
sed -i "s/^Version: .*/Version: $old+upgrade1/" "$work/pkg/DEBIAN/control"
dpkg-deb -b "$work/pkg" "$work/upgrade.deb" >/dev/null
install_deb "$work/upgrade.deb"
grep -q '^listen = 127.0.0.1:0' "$conf" || fail "the administrator's edit of the conffile was lost"
pre=$(ls "$root/var/lib/rectify/backups/" | grep "before-upgrade-from-$old" || true)
[ -n "$pre" ] || { cat "$work/dpkg.out"; fail "no backup before the upgrade"; }
[ "$(as_rectify sqlite3 "/var/lib/rectify/backups/$pre" 'PRAGMA user_version')" = $P ] ||
	fail "the backup is not of the old schema"
start
[ "$(as_rectify sqlite3 /var/lib/rectify/rectify.db 'PRAGMA user_version')" = $N ] ||
	fail "the service did not upgrade the schema"
login
stop
as_rectify rectify --config /etc/rectify/rectify.conf verify >/dev/null || fail "verify"
as_rectify rectify --config /etc/rectify/rectify.conf unit list | grep -q 办公室 ||
	fail "the data after the upgrade"

step "a failed schema upgrade"
# The schema says $P, the tables are $N's: the migration fails halfway.
as_rectify sqlite3 /var/lib/rectify/rectify.db "PRAGMA user_version = $P"
st=0
(exec_start rectify.service) >"$work/server.out" 2>"$work/server.err" || st=$?
[ $st = 3 ] || fail "the service started on a database it cannot upgrade ($st)"
grep -q "the schema upgrade to version $N failed (.*); the database was left as it was, at version $P" \
	"$work/server.err" || fail "message: $(cat "$work/server.err")"
sed 's/^/   /' "$work/server.err"
grep -q '^RestartPreventExitStatus=.*\b3\b' "$root/lib/systemd/system/rectify.service" ||
	fail "systemd would restart it in a loop"
[ "$(as_rectify sqlite3 /var/lib/rectify/rectify.db 'PRAGMA user_version')" = $P ] ||
	fail "the database changed"

step "restore the backup taken before the upgrade"
as_rectify rectify --config /etc/rectify/rectify.conf restore "/var/lib/rectify/backups/$pre" \
	>"$work/restore.out" || fail "restore: $(cat "$work/restore.out")"
start
login
stop
as_rectify rectify --config /etc/rectify/rectify.conf unit list | grep -q 办公室 ||
	fail "the data after the restore"
echo "deb_install: ok"
