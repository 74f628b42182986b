// Progress on stderr for long runs: bytes read of total, then each stage. Only on a TTY, never in CI logs, never
// on stdout (so no report format ever contains it), and only once a run has taken about a second.

export interface Progress {
  bytes(read: number, total: number | undefined): void;
  stage(name: string): void;
  done(): void;
}

const NOOP: Progress = { bytes: () => undefined, stage: () => undefined, done: () => undefined };

export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

function mib(n: number): string {
  return `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MiB`;
}

/** The byte count is redrawn at most this often: a plan from a pipe reports every 64 KiB, ~16,000 times a GiB. */
const BYTES_EVERY_MS = 100;

/** A progress line on `stream` when it is a terminal outside CI; a no-op otherwise. */
export function createProgress(stream: ProgressTarget, env: NodeJS.ProcessEnv, now: () => number = Date.now, delayMs = 1000): Progress {
  if (stream.isTTY !== true || env.CI !== undefined || env.BLASTGATE_NO_PROGRESS !== undefined) return NOOP;
  const start = now();
  let shown = false;
  let bytesAt = -Infinity;
  /** Draws `text` once the run has taken delayMs; whether it did. */
  const show = (text: string, t = now()): boolean => {
    if (t - start < delayMs) return false;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r\x1b[2K${text.slice(0, width)}`);
    shown = true;
    return true;
  };
  return {
    bytes(read, total) {
      const t = now();
      if (t - bytesAt < BYTES_EVERY_MS) return;
      const text = total ? `blastgate: reading plan ${mib(read)} of ${mib(total)} (${Math.floor((read / total) * 100)}%)` : `blastgate: reading plan ${mib(read)}`;
      if (show(text, t)) bytesAt = t;
    },
    stage(name) {
      show(`blastgate: ${name}`);
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}
