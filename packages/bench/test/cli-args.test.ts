import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '../src/cli/args';
import type { BenchConfig } from '../src/cli/config';
import { KNOWN_FLAGS } from '../src/cli/flags';
import { USAGE } from '../src/cli/usage';

function config(argv: string[]): BenchConfig {
  const parsed = parseArgs(argv, 'out-dir');
  if (parsed.help) throw new Error('unexpected help');
  return parsed.config;
}

describe('parseArgs', () => {
  it('defaults to the baseline comparison run: 10,000 ops, uniform 0-5 ms, no cap', () => {
    expect(config([])).toEqual({
      ops: 10000,
      readRatio: 0.5,
      keys: 10000,
      valueSize: 100,
      concurrency: 0,
      latency: { distribution: 'uniform', min: 0, max: 5 },
      seed: 1,
      backend: 'latency',
      path: undefined,
      out: 'out-dir',
      compareBaseline: true,
      failureRate: 0,
      warmup: 10000,
      rounds: 3,
      progress: true,
      xScale: 'linear',
    });
  });

  it('reads --name value and --name=value', () => {
    const c = config(['--ops', '200', '--read-ratio=0.9', '--keys', '10', '--concurrency', '8', '--seed=5', '--out', 'x', '--no-progress']);
    expect(c).toMatchObject({ ops: 200, readRatio: 0.9, keys: 10, concurrency: 8, seed: 5, out: 'x', progress: false, warmup: 200 });
  });

  it('reads the chart scale', () => {
    expect(config(['--x-scale', 'log']).xScale).toBe('log');
    expect(config(['--x-scale=linear']).xScale).toBe('linear');
  });

  it.each<[string[], unknown]>([
    [['--latency', '3'], 3],
    [['--distribution', 'fixed', '--ms', '2'], { distribution: 'fixed', ms: 2 }],
    [['--distribution', 'uniform', '--min', '1', '--max', '4'], { distribution: 'uniform', min: 1, max: 4 }],
    [['--distribution', 'normal', '--mean', '5', '--stddev', '1'], { distribution: 'normal', mean: 5, stddev: 1 }],
    [['--distribution', 'exponential', '--mean', '2'], { distribution: 'exponential', mean: 2 }],
    [['--distribution', 'lognormal', '--median', '2', '--p99', '20'], { distribution: 'lognormal', median: 2, p99: 20 }],
    [['--distribution', 'lognormal', '--mu', '0.5', '--sigma', '1'], { distribution: 'lognormal', mu: 0.5, sigma: 1 }],
  ])('reads latency flags %j', (argv, latency) => {
    expect(config(argv).latency).toEqual(latency);
  });

  it('compares with the baseline only for the latency backend, unless told not to', () => {
    expect(config(['--backend', 'memory']).compareBaseline).toBe(false);
    expect(config(['--no-compare-baseline']).compareBaseline).toBe(false);
    expect(config(['--compare-baseline']).compareBaseline).toBe(true);
  });

  it('asks for help', () => {
    expect(parseArgs(['--ops', '5', '--help'], 'o')).toEqual({ help: true });
  });

  it.each([
    [['--ops', 'many'], /--ops must be a number/],
    [['--ops', '0'], /--ops must be an integer >= 1/],
    [['--read-ratio', '2'], /--read-ratio/],
    [['--backend', 'redis'], /--backend must be one of/],
    [['--distribution', 'normal', '--mean', '1'], /needs --stddev/],
    [['--distribution', 'pareto'], /unknown --distribution/],
    [['--backend', 'memory', '--compare-baseline'], /needs --backend latency/],
    [['stray'], /unexpected argument/],
    [['--ops'], /--ops needs a value/],
    [['--x-scale', 'logarithmic'], /--x-scale must be one of linear, log/],
    [['--opz', '5'], /unknown flag --opz/],
    [['--opz=5'], /unknown flag --opz/],
    [['--no-progres'], /unknown flag --no-progres/],
    [['--ops', '10', '--help-me'], /unknown flag --help-me/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv, 'o')).toThrow(message);
  });

  it('knows exactly the flags the --help text lists', () => {
    const listed = new Set([...USAGE.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
    expect([...listed].sort()).toEqual([...KNOWN_FLAGS].sort());
  });
});
