/**
 * The test side of verifier-process.ts: starts a platform's verifier in a separate node process,
 * given only the issuer URL, and talks to it line by line. Shared by the end-to-end tests, so
 * each drives a real, long-running verifier rather than calling the library in process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';

const SCRIPT = fileURLToPath(new URL('./verifier-process.ts', import.meta.url));
const TEST_DIR = dirname(dirname(SCRIPT));

/** One answer of the verifier process. */
export interface VerifierAnswer {
  id: number;
  valid?: boolean;
  status?: string;
  sub?: string;
  /** The decisive code (errors[0]). */
  code?: string;
  /** Every code, decisive first. */
  codes?: string[];
  message?: string;
  ok?: boolean;
}

/**
 * A platform's verifier process: only the issuer URL is given to it.
 *
 * @example
 * const platform = new VerifierProcess(t.origin);
 * await platform.verify(jws, 61); // moves its clock 61 s forward, then verifies
 */
export class VerifierProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting = new Map<number, (answer: VerifierAnswer) => void>();
  #next = 1;
  #stderr = '';

  /** `aheadSeconds`: where its clock starts, relative to now (to match a registry clock moved forward). */
  constructor(issuer: string, aheadSeconds = 0) {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    this.#child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, issuer, String(aheadSeconds)], { cwd: TEST_DIR, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const answer = JSON.parse(line) as VerifierAnswer;
      this.#waiting.get(answer.id)?.(answer);
      this.#waiting.delete(answer.id);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  #send(command: Record<string, unknown>): Promise<VerifierAnswer> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`verifier process did not answer; stderr: ${this.#stderr}`)), 60_000);
      this.#waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.#child.stdin.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  }

  /** Moves the process clock `advanceSeconds` forward, then verifies `jws`. */
  verify(jws: string, advanceSeconds = 0): Promise<VerifierAnswer> {
    return this.#send({ jws, advanceSeconds });
  }

  /** From now on the process's fetch answers `url` with `body` (a stale cache, an attacker). */
  serve(url: string, body: string): Promise<VerifierAnswer> {
    return this.#send({ serve: { url, body } });
  }

  /** `url` goes to the network again. */
  unserve(url: string): Promise<VerifierAnswer> {
    return this.#send({ unserve: url });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((done) => this.#child.once('exit', done));
    this.#child.stdin.end();
    await exited;
  }
}
