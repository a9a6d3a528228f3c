/**
 * The lookup cache's ring (byte-ring-index.ts) against a plain model, over random sequences of
 * stores, removals and clears in small rings and small indexes (so the ring wraps often and probe
 * runs cross the index's end): a key found gives the bytes last stored under it, never another's;
 * the last store is found whenever it fits; newer entries outlive older ones; the bounds hold; and
 * the owner hears of every marked record that leaves (evicted, replaced or removed), and of no other.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRingIndex } from '../../src/kernel/byte-ring-index.ts';

type Op = { kind: 'store'; key: number; length: number; mark: number } | { kind: 'remove'; key: number } | { kind: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('store' as const), key: fc.nat(24), length: fc.nat(300), mark: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), key: fc.nat(24) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
);

/** Keys of several UTF-8 lengths and scripts. */
const keyName = (n: number) => (n % 3 === 0 ? `facebook:page.${n}` : n % 3 === 1 ? `tiktok:@ngọc.${n}` : `k${'x'.repeat(n)}`);
const valueOf = (key: number, serial: number, length: number) => Uint8Array.from({ length }, (_, i) => (key * 31 + serial * 7 + i) & 0xff);

describe('byte ring index', () => {
  it('agrees with a model: right bytes or none, the newest kept, bounds held, every marked drop reported', () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 4096 }), fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 200 }), (capacity, maxEntries, ops) => {
        const dropped: string[] = [];
        const ring = new ByteRingIndex({ capacityBytes: capacity, maxEntries, onDrop: (key, mark) => dropped.push(`${key()}#${mark}`) });
        /** The last value stored under each key, and the order of stores (newest last). */
        const model = new Map<string, { value: Uint8Array; serial: number; mark: number }>();
        let serial = 0;
        for (const step of ops) {
          dropped.length = 0;
          if (step.kind === 'clear') {
            ring.clear();
            model.clear();
          } else if (step.kind === 'remove') {
            const key = keyName(step.key);
            const record = ring.find(key);
            if (record >= 0) ring.remove(record);
            const had = model.get(key);
            expect(dropped).toEqual(had && record >= 0 && had.mark !== 0 ? [`${key}#${had.mark}`] : []);
            model.delete(key);
            expect(ring.find(key)).toBe(-1);
          } else {
            const key = keyName(step.key);
            const value = valueOf(step.key, ++serial, step.length);
            const before = ring.find(key);
            const hadMark = before >= 0 ? ring.mark(before) : 0;
            ring.store(key, value, serial);
            // A replaced record with a mark is reported, under its own key.
            if (before >= 0 && hadMark !== 0) expect(dropped).toContain(`${key}#${hadMark}`);
            for (const d of dropped) {
              const [name, mark] = [d.slice(0, d.lastIndexOf('#')), Number(d.slice(d.lastIndexOf('#') + 1))];
              expect(model.get(name)?.mark).toBe(mark);
            }
            const record = ring.find(key);
            const fits = ((24 + Buffer.byteLength(key) + value.length + 7) & ~7) <= Math.floor(capacity / 8) * 8;
            expect(record >= 0).toBe(fits);
            model.delete(key);
            if (record >= 0) {
              ring.setMark(record, step.mark);
              model.set(key, { value, serial, mark: step.mark });
            }
          }
          // Every key found holds exactly its last bytes; the found ones are the newest stores.
          let found = 0;
          let oldestFound = Infinity;
          let newestMissing = -Infinity;
          for (const [key, entry] of model) {
            const record = ring.find(key);
            if (record < 0) {
              newestMissing = Math.max(newestMissing, entry.serial);
              continue;
            }
            found++;
            oldestFound = Math.min(oldestFound, entry.serial);
            expect(ring.storedAt(record)).toBe(entry.serial);
            expect(ring.mark(record)).toBe(entry.mark);
            expect(Buffer.from(ring.bytes.subarray(ring.valueStart(record), ring.valueEnd(record))).equals(Buffer.from(entry.value))).toBe(true);
          }
          expect(ring.size).toBe(found);
          expect(found).toBeLessThanOrEqual(maxEntries);
          expect(newestMissing).toBeLessThan(oldestFound);
          expect(ring.liveBytes).toBeLessThanOrEqual(capacity);
          expect(ring.bytesTouched).toBeLessThanOrEqual(capacity);
          // Every marked record that went this step (evicted or replaced) was reported; forget the keys that went.
          for (const [key, entry] of model) {
            if (ring.find(key) >= 0) continue;
            if (entry.mark !== 0) expect(dropped).toContain(`${key}#${entry.mark}`);
            model.delete(key);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('finds every key of a full index after many removals (probe runs are repaired, not broken)', () => {
    const ring = new ByteRingIndex({ capacityBytes: 1 << 20, maxEntries: 5_000 });
    const keys = Array.from({ length: 5_000 }, (_, i) => `facebook:page.${i}`);
    keys.forEach((key, i) => ring.store(key, valueOf(i, i, 8), i));
    for (let i = 0; i < keys.length; i += 3) ring.remove(ring.find(keys[i]!));
    keys.forEach((key, i) => {
      const record = ring.find(key);
      if (i % 3 === 0) expect(record).toBe(-1);
      else expect(ring.storedAt(record)).toBe(i);
    });
    expect(ring.size).toBe(keys.length - Math.ceil(keys.length / 3));
  });
});
