/** The `--help` text of `konserve-rx-bench`. */

/** The usage text printed by `konserve-rx-bench --help`. */
export const USAGE = `Usage: konserve-rx-bench [options]

Runs a read/write workload through a konserve-rx store, prints throughput and latency
percentiles as a markdown table, and writes a JSON result and an SVG latency chart.

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
  --path <dir>           folder of the file backend (default: a temporary folder)
  --failure-rate <0..1>  share of backing writes failing with ERR_SIMULATED_FAILURE (latency)

Latency (latency backend; default uniform 0-5 ms)
  --latency <ms>                         fixed delay
  --distribution fixed --ms <ms>
  --distribution uniform --min <ms> --max <ms>
  --distribution normal --mean <ms> --stddev <ms>          (clamped at 0)
  --distribution exponential --mean <ms>
  --distribution lognormal --median <ms> --p99 <ms>        (or --mu <m> --sigma <s>)

Comparison and output
  --no-compare-baseline  skip the Promise + setTimeout baseline and the no-latency floor
                         (0 ms delays, then the bare memory store; on for the latency backend)
  --rounds <n>           store runs, then as many baseline runs; the ratio compares medians (default 3)
  --out <dir>            output folder (default bench/results in the repo, else ./konserve-rx-bench)
  --no-progress          no progress output on stderr
  --help                 print this text

Example
  konserve-rx-bench --ops 2000 --distribution lognormal --median 2 --p99 20 --concurrency 64
`;
