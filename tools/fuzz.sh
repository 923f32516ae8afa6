#!/bin/sh
# `make fuzz`: run each libFuzzer harness of build-fuzz/fuzz/ for SECONDS,
# one after the other (one process at a time, nice'd: the fuzzing shares
# the machine), starting from its seeds; then print one line per harness:
# seconds, executions, crashes, peak RSS. New inputs that add coverage
# go to build-fuzz/corpus/NAME, crashes to build-fuzz/crashes/NAME/ (copy
# a fixed one into tests/fuzz/crashes/NAME/ so that `make test` replays it).
# Usage: tools/fuzz.sh SECONDS NAME...
set -u
secs=$1
shift
B=build-fuzz
report=$B/fuzz-report.tsv
printf 'harness\tseconds\texecutions\tcrashes\tpeak_rss_mb\n' > "$report"
failed=0
for name in "$@"; do
	bin=$B/fuzz/fuzz_$name
	corpus=$B/corpus/$name
	crashes=$B/crashes/$name
	log=$B/fuzz-$name.log
	mkdir -p "$corpus" "$crashes"
	# crashes of this run only: older ones may still sit in $crashes
	stamp=$B/.fuzz-start-$name
	touch "$stamp"
	dict=
	[ -f "tests/fuzz/dict/$name.dict" ] && dict=-dict=tests/fuzz/dict/$name.dict
	# readers take whole files: longer inputs than libFuzzer's 4 KiB
	# default reach past the 1 KiB record bound the harness sets
	case $name in
	query) maxlen=5000 ;;   # just past QUERY_MAX_LEN
	*) maxlen=16384 ;;
	esac
	echo "== fuzz_$name: $secs s"
	start=$(date +%s)
	nice -n 10 "$bin" -max_total_time="$secs" -print_final_stats=1 \
		-max_len=$maxlen -timeout=10 -rss_limit_mb=2048 $dict \
		-artifact_prefix="$crashes/" "$corpus" "tests/fuzz/seeds/$name" \
		> "$log" 2>&1
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
	ncrash=$(find "$crashes" -type f -newer "$stamp" | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" $((end - start)) "${execs:-?}" \
		"$ncrash" "${rss:-?}" >> "$report"
	if [ "$rc" != 0 ] || [ "$ncrash" != 0 ]; then
		failed=1
		echo "fuzz_$name: exit $rc, $ncrash crash inputs in $crashes (log: $log)"
		grep -m1 -E 'ERROR|invariant broken' "$log"
	fi
done
echo "== fuzz report ($report)"
column -t -s "$(printf '\t')" "$report" 2>/dev/null || cat "$report"
exit $failed
