/** The CLI's argument handling: help, clear errors, non-zero exit codes. */
import { describe, expect, it } from 'vitest';
import { parseTtl, runCli } from '../../services/api/src/cli/main.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
}

describe('pnpm cli', () => {
  it('prints help for the CLI and for each command with exit 0', async () => {
    const a = io();
    expect(await runCli(['--help'], a.io)).toBe(0);
    expect(a.out.join()).toMatch(/token.*seed.*verify.*migrate/s);
    for (const command of ['token', 'seed', 'verify', 'migrate']) {
      const b = io();
      expect(await runCli([command, '--help'], b.io)).toBe(0);
      expect(b.out.join()).toMatch(new RegExp(`pnpm cli ${command}`));
    }
  });

  it('fails with exit 2 and a clear message for bad arguments', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /Usage/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['token'], /--role is required/],
      [['token', '--role', 'KING'], /--role must be one of/],
      [['token', '--role', 'MEMBER'], /needs --subject/],
      [['token', '--role', 'OFFICER', '--ttl', 'forever'], /--ttl must look like/],
      [['token', '--role', 'OFFICER', '--ttl', '2d'], /to 24 hours/],
      [['token', '--role', 'OFFICER', '--colour', 'red'], /Unknown option/],
      [['verify'], /exactly one URL/],
      [['verify', 'a', 'b'], /exactly one URL/],
      [['verify', 'fb.com/x', '--at', 'yesterday'], /ISO 8601/],
    ];
    for (const [args, message] of cases) {
      const c = io();
      expect(await runCli(args, c.io), args.join(' ')).toBe(2);
      expect([...c.err, ...c.out].join('\n'), args.join(' ')).toMatch(message);
    }
  });

  it('prints a new data key with keys data-key, without opening any database', async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const c = io();
      expect(await runCli(['keys', 'data-key'], c.io)).toBe(0);
      expect(c.out.join('')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(c.out.join(''), 'base64url')).toHaveLength(32);
      keys.add(c.out.join(''));
    }
    expect(keys.size).toBe(2);
    const d = io();
    expect(await runCli(['keys', 'data-key', 'extra'], d.io)).toBe(2);
  });

  it('parses durations', () => {
    expect(parseTtl('3600')).toBe(3600);
    expect(parseTtl('90s')).toBe(90);
    expect(parseTtl('30m')).toBe(1800);
    expect(parseTtl('1h')).toBe(3600);
    expect(parseTtl('1d')).toBe(86_400);
    expect(() => parseTtl('0')).toThrow();
  });
});
