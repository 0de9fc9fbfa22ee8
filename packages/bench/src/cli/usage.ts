/** The `--help` text of `konserve-rx-bench`. */

/** The usage text printed by `konserve-rx-bench --help`; it lists every flag the parser accepts. */
export const USAGE = `Usage: konserve-rx-bench [options]

Runs a read/write workload through a konserve-rx store, prints throughput and latency
percentiles as a markdown table, and writes a JSON result and an SVG latency chart.
Phases, in order: warm-up → preload → measure → baseline → floor.
  warm-up   an untimed run of --warmup ops on a throwaway store (and baseline), for the JIT
  preload   every key of the measured store is written once, untimed
  measure   the timed run of --ops ops, with a progress bar
  baseline  the remaining store runs, then as many Promise + setTimeout runs (latency backend)
  floor     CPU µs per get and per assoc of the memory store, a store over resolved Promises,
            the 0 ms latency store and a bare setTimeout Promise, in 9 or more alternating rounds (latency backend)

Workload
  --ops <n>              operations in the timed run (default 10000)
  --read-ratio <0..1>    share of reads (get); the rest are writes (assoc) (default 0.5)
  --keys <n>             distinct keys; op i uses key i mod n (default: --ops, no contention)
  --value-size <bytes>   payload size of each written value (default 100)
  --concurrency <n>      operations in flight at once; 0 = no cap (default 0)
  --warmup <n>           untimed warm-up operations first (default min(10000, ops))
  --seed <n>             seed of the workload and of the simulated latency (default 1)

Backend
  --backend <name>       latency | memory | file (default latency)
  --path <dir>           folder of the file backend (default: a temporary folder);
                         the file backend needs @konserve-rx/fs installed
  --failure-rate <0..1>  share of backing writes failing with ERR_SIMULATED_FAILURE (latency)

Latency (latency backend; default uniform 0-5 ms)
  --latency <ms>                         fixed delay
  --distribution fixed --ms <ms>
  --distribution uniform --min <ms> --max <ms>
  --distribution normal --mean <ms> --stddev <ms>          (clamped at 0)
  --distribution exponential --mean <ms>
  --distribution lognormal --median <ms> --p99 <ms>        (or --mu <m> --sigma <s>)

Comparison and output
  --compare-baseline     run the baseline and the floor (the default for the latency backend)
  --no-compare-baseline  skip the Promise + setTimeout baseline and the no-latency floor
  --rounds <n>           store runs, then as many baseline runs; the ratio compares medians (default 3)
  --out <dir>            output folder (default bench/results in the repo, else ./konserve-rx-bench)
  --x-scale <scale>      latency axis of the chart: linear | log (default linear)
  --no-progress          no progress output on stderr
  --help                 print this text

Unknown flags are an error (exit code 2), so a typo never runs the default workload.

Example
  konserve-rx-bench --ops 2000 --distribution lognormal --median 2 --p99 20 --concurrency 64 --x-scale log
`;
