# The SMTP sink and webhook receiver of the tests on loopback (sourced, not
# run; tests/it/lib/sinks.mjs).  start_sinks FAILS [DELAY_MS] starts them
# writing into ./sink -- the first FAILS webhook calls answered 500, each
# answered after DELAY_MS -- and sets SINK (the process), SMTP and HOOK
# (their ports).  The caller stops SINK in its exit trap.
start_sinks() {
	command -v node >/dev/null || fail "node is needed for the test's SMTP sink"
	mkdir sink
	node "$TOP/tests/it/lib/sinks.mjs" "$PWD/sink" "$@" &
	SINK=$!
	i=0
	while [ ! -s sink/ports ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "the sinks did not start"
		sleep 0.1
	done
	read -r SMTP HOOK <sink/ports
}
