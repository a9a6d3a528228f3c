/**
 * `table(rows)(name, check)`: one test that checks every row of a table, in order, naming the
 * row that fails. Used instead of `it.each` for the long rule tables: mutation testing re-runs
 * the whole table for every mutant of a list entry, and a test per row costs far more there
 * than the row's own check.
 */
import { it } from 'vitest';

type Args<T> = T extends readonly unknown[] ? T : [T];

/**
 * @example
 * table([['fb.com/x', 'facebook:x']] as const)('keys', (input, key) => expect(keyOf(input)).toBe(key));
 */
export function table<T>(rows: readonly T[]): (name: string, check: (...row: Args<T>) => void) => void {
  return (name, check) => {
    it(`${name} (${rows.length} rows)`, () => {
      for (const row of rows) {
        const args = (Array.isArray(row) ? row : [row]) as Args<T>;
        try {
          check(...args);
        } catch (error) {
          if (error instanceof Error) error.message = `row ${JSON.stringify(row)?.slice(0, 200)}: ${error.message}`;
          throw error;
        }
      }
    });
  };
}
