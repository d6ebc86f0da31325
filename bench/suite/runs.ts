import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One benchmark invocation of the suite: a bench script, its flags, and what it is for. */
export interface BenchRun {
  /** a key in results.json, e.g. `engine.resting-1000` */
  readonly id: string;
  /** the script under bench/, e.g. `engine/main.ts` */
  readonly script: string;
  readonly args: readonly string[];
}

/** The runs of `npm run bench` (full) or `npm run bench -- --quick`. */
export function suitePlan(quick: boolean): BenchRun[] {
  if (quick) {
    const engine = ['--quick', '--count', '100000', '--warmup', '50000', '--reps', '1', '--long', '0'];
    return [
      ...[10, 1000].map((n) => ({
        id: `engine.resting-${n}`,
        script: 'engine/main.ts',
        args: [...engine, '--resting', String(n)],
      })),
      // The peer does ~5k orders/s at this depth: fewer commands keep the point under 20 s.
      {
        id: 'engine.resting-100000',
        script: 'engine/main.ts',
        args: [
          '--quick',
          '--count',
          '20000',
          '--warmup',
          '5000',
          '--reps',
          '1',
          '--long',
          '0',
          '--resting',
          '100000',
        ],
      },
      {
        id: 'encoding',
        script: 'encoding/main.ts',
        args: ['--quick', '--reps', '2', '--count', '20000', '--messages', '2000'],
      },
      {
        id: 'feed.clients-100',
        script: 'feed/main.ts',
        args: ['--quick', '--clients', '100', '--seconds', '3', '--warmup', '1'],
      },
      { id: 'feed-idle', script: 'feed/idle-latency.ts', args: ['--quick'] },
      {
        id: 'feed.clients-50',
        script: 'feed/main.ts',
        args: [
          '--quick',
          '--clients',
          '50',
          '--seconds',
          '3',
          '--warmup',
          '1',
          '--baseline',
          'off',
          '--memory',
          'off',
          '--rest',
          'off',
        ],
      },
      { id: 'instruments', script: 'feed/instrument-scaling.ts', args: ['--quick'] },
      {
        id: 'log.small',
        script: 'log/main.ts',
        args: [
          '--records',
          '20000',
          '--none',
          '5000',
          '--always',
          '20',
          '--seeks',
          '100',
          '--session',
          '10000',
        ],
      },
      {
        id: 'log.large',
        script: 'log/main.ts',
        args: [
          '--records',
          '200000',
          '--none',
          '50000',
          '--always',
          '20',
          '--seeks',
          '200',
          '--session',
          '200000',
        ],
      },
    ];
  }
  return [
    { id: 'engine.resting-1000', script: 'engine/main.ts', args: [] },
    {
      id: 'engine.resting-10',
      script: 'engine/main.ts',
      args: ['--count', '500000', '--long', '0', '--resting', '10'],
    },
    // nodejs-order-book runs ~5k orders/s with 100,000 resting: 50k commands take it ~10 s a run.
    {
      id: 'engine.resting-100000',
      script: 'engine/main.ts',
      args: ['--count', '50000', '--warmup', '10000', '--long', '0', '--resting', '100000'],
    },
    { id: 'encoding', script: 'encoding/main.ts', args: ['--reps', '3'] },
    { id: 'feed.clients-1000', script: 'feed/main.ts', args: [] },
    { id: 'feed-idle', script: 'feed/idle-latency.ts', args: [] },
    {
      id: 'feed.clients-100',
      script: 'feed/main.ts',
      args: [
        '--clients',
        '100',
        '--seconds',
        '10',
        '--warmup',
        '3',
        '--baseline',
        'off',
        '--memory',
        'off',
        '--rest',
        'off',
      ],
    },
    {
      id: 'feed.clients-5000',
      script: 'feed/main.ts',
      args: [
        '--clients',
        '5000',
        '--seconds',
        '10',
        '--warmup',
        '5',
        '--baseline',
        'off',
        '--memory',
        'off',
        '--rest',
        'off',
      ],
    },
    // serve at 3, 30, 300 and 1,000 instruments, 25 s each
    { id: 'instruments', script: 'feed/instrument-scaling.ts', args: [] },
    {
      id: 'log.small',
      script: 'log/main.ts',
      args: [
        '--records',
        '20000',
        '--none',
        '5000',
        '--always',
        '20',
        '--seeks',
        '200',
        '--session',
        '10000',
      ],
    },
    {
      id: 'log.large',
      script: 'log/main.ts',
      args: ['--records', '2000000', '--none', '1000000', '--always', '1000', '--session', '10000000'],
    },
  ];
}

/** Runs one bench script with `--json` in its own process; resolves with its JSON and its wall time. */
export function runBench(
  run: BenchRun,
  onProgress: (line: string) => void,
): Promise<{ readonly result: unknown; readonly seconds: number }> {
  const script = fileURLToPath(new URL(`../${run.script}`, import.meta.url));
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...run.args, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      const text = b.toString();
      stderr += text;
      for (const line of text.split('\n')) if (line.trim() !== '') onProgress(line);
    });
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) {
        reject(
          new Error(`${run.id} (${run.script}) exited ${code}: ${stderr.split('\n').slice(-5).join(' ')}`),
        );
        return;
      }
      try {
        resolve({ result: JSON.parse(stdout), seconds });
      } catch (error) {
        reject(new Error(`${run.id}: not JSON on stdout: ${String(error)}`));
      }
    });
  });
}
