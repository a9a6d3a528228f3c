/**
 * A registry for a test: its own database (see createTestDatabase), a fixed data key, and a
 * clock the test can move forward.
 */
import { openRegistry, type Registry, type RegistryOptions } from '../registry.ts';
import { generateDataKey } from '../privacy/data-key.ts';
import { createTestDatabase } from './test-database.ts';

/** A clock a test controls; starts at the real time. */
export class TestClock {
  #offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.#offsetMs);
  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.#offsetMs += ms;
  }
}

export interface TestRegistry {
  registry: Registry;
  clock: TestClock;
  /** Closes the registry and drops its database. */
  close(): Promise<void>;
}

/**
 * @example
 * const { registry, close } = await openTestRegistry();
 * afterAll(close);
 */
export async function openTestRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const database = await createTestDatabase();
  const clock = new TestClock();
  const registry = await openRegistry({ dataDir: 'memory://', dataKey: generateDataKey(), now: clock.now, ...options, databaseUrl: database.databaseUrl });
  return {
    registry,
    clock,
    close: async () => {
      await registry.close();
      await database.drop();
    },
  };
}
