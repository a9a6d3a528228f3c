/**
 * Byte records by string key, outside the JavaScript heap: one ring of bytes, written in order
 * and overwritten oldest first, with an open-addressing hash index in typed arrays. The lookup
 * cache (lookup-cache.ts) keeps its entries here, so a hundred thousand cached keys are three
 * array buffers to the garbage collector instead of several hundred thousand objects.
 *
 * A record, 8-byte aligned:
 *
 *   0  u32  size of the whole record (0 marks the end of the written ring: go on at 0)
 *   4  u32  the key's hash
 *   8  f64  when it was stored (epoch ms)
 *  16  u16  the key's length in UTF-8 bytes
 *  18  u8   1 while indexed, 0 once replaced or removed (its bytes wait for the ring to reach them)
 *  19  u8   a mark the owner may set (the lookup cache: what it knows of the key's lookalikes)
 *  20  u32  the value's length
 *  24       the key (UTF-8), then the value
 *
 * The index is linear probing with backward-shift deletion (no tombstones), at most half full.
 * Keys come from callers (URLs anyone may send), so the hash is seeded per process and a probe
 * gives up after {@link PROBE_LIMIT} slots: keys crafted to collide cost a bounded scan and are
 * simply not cached, rather than turning every lookup into a long one.
 */

const HEADER = 24;
const PROBE_LIMIT = 64;
/** Longer keys (in UTF-16 units) are not kept: no account key comes near it. */
const MAX_KEY_UNITS = 4096;
/** Offsets are stored in an Int32Array as offset + 1. */
const MAX_CAPACITY = 1024 * 1024 * 1024;

export interface ByteRingIndexOptions {
  /** The ring's size in bytes (rounded down to a multiple of 8, at most 1 GiB). */
  capacityBytes: number;
  /** Most records indexed at once; past it the oldest go. */
  maxEntries: number;
  /** Called when a record with a non-zero mark leaves the index (evicted, replaced or removed; not on clear). */
  onDrop?: (key: () => string, mark: number) => void;
}

export class ByteRingIndex {
  /** The ring: record offsets returned by this class index into it. */
  readonly bytes: Buffer;
  readonly #u16: Uint16Array;
  readonly #u32: Uint32Array;
  readonly #f64: Float64Array;
  readonly #capacity: number;
  readonly #maxEntries: number;
  readonly #onDrop: ByteRingIndexOptions['onDrop'];
  /** Slot → record offset + 1 (0: empty), and the record's hash beside it (probes compare it first). */
  readonly #slots: Int32Array;
  readonly #slotHash: Uint32Array;
  readonly #mask: number;
  readonly #seed = (Math.random() * 0x1_0000_0000) >>> 0;
  /** Where the key being looked up or stored is encoded. */
  readonly #key = Buffer.allocUnsafeSlow(3 * MAX_KEY_UNITS);
  /** The next record goes at #head; the oldest is at #tail; #occupied counts the bytes between (with a skipped end). */
  #head = 0;
  #tail = 0;
  #occupied = 0;
  #count = 0;
  #liveBytes = 0;
  #touched = 0;

  constructor(options: ByteRingIndexOptions) {
    this.#capacity = Math.max(0, Math.min(MAX_CAPACITY, Math.floor(options.capacityBytes / 8) * 8));
    // Pages of a zero-filled allocation are mapped on first write, so an idle ring costs little.
    this.bytes = Buffer.alloc(this.#capacity);
    this.#u16 = new Uint16Array(this.bytes.buffer, this.bytes.byteOffset, this.#capacity / 2);
    this.#u32 = new Uint32Array(this.bytes.buffer, this.bytes.byteOffset, this.#capacity / 4);
    this.#f64 = new Float64Array(this.bytes.buffer, this.bytes.byteOffset, this.#capacity / 8);
    // No more records can be live than fit in the ring at their smallest (a header and a one-byte key).
    this.#maxEntries = Math.max(0, Math.min(options.maxEntries, Math.floor(this.#capacity / (HEADER + 8))));
    let slots = 16;
    while (slots < 2 * this.#maxEntries) slots *= 2;
    this.#slots = new Int32Array(slots);
    this.#slotHash = new Uint32Array(slots);
    this.#mask = slots - 1;
    this.#onDrop = options.onDrop;
  }

  get size(): number {
    return this.#count;
  }
  /** Bytes of the records still indexed. */
  get liveBytes(): number {
    return this.#liveBytes;
  }
  /** How far into the ring anything was ever written: the pages it has in memory. */
  get bytesTouched(): number {
    return this.#touched;
  }
  get indexBytes(): number {
    return this.#slots.byteLength + this.#slotHash.byteLength;
  }

  storedAt(record: number): number {
    return this.#f64[(record + 8) >> 3]!;
  }
  valueStart(record: number): number {
    return record + HEADER + this.#u16[(record + 16) >> 1]!;
  }
  valueEnd(record: number): number {
    return this.valueStart(record) + this.#u32[(record + 20) >> 2]!;
  }
  mark(record: number): number {
    return this.bytes[record + 19]!;
  }
  setMark(record: number, mark: number): void {
    this.bytes[record + 19] = mark;
  }

  /** The record stored under `key`, or -1. */
  find(key: string): number {
    const length = this.#encode(key);
    if (length < 0) return -1;
    const slot = this.#findSlot(this.#hash(length), length);
    return slot < 0 ? -1 : this.#slots[slot]! - 1;
  }

  /** Stores `value` under `key` (replacing what was there); a key or value too big for the ring is not kept. */
  store(key: string, value: Uint8Array, storedAt: number): void {
    const length = this.#encode(key);
    if (length < 0 || this.#maxEntries === 0) return;
    const hash = this.#hash(length);
    // What was stored before goes first, even when the new value is not kept: never the old bytes for a new store.
    const previous = this.#findSlot(hash, length);
    if (previous >= 0) this.#drop(this.#slots[previous]! - 1);
    const size = (HEADER + length + value.length + 7) & ~7;
    if (size > this.#capacity) return;
    const at = this.#reserve(size);
    this.#u32[at >> 2] = size;
    this.#u32[(at + 4) >> 2] = hash;
    this.#f64[(at + 8) >> 3] = storedAt;
    this.#u16[(at + 16) >> 1] = length;
    this.bytes[at + 19] = 0;
    this.#u32[(at + 20) >> 2] = value.length;
    this.#key.copy(this.bytes, at + HEADER, 0, length);
    this.bytes.set(value, at + HEADER + length);
    this.#touched = Math.max(this.#touched, at + size);
    if (!this.#insertSlot(hash, at)) {
      this.bytes[at + 18] = 0; // its neighbourhood is full (keys crafted to collide): not kept
      return;
    }
    this.bytes[at + 18] = 1;
    this.#count++;
    this.#liveBytes += size;
    while (this.#count > this.#maxEntries) this.#evictOldest();
  }

  /** Takes a record out of the index (its bytes are reused when the ring comes round). */
  remove(record: number): void {
    if (this.bytes[record + 18] === 1) this.#drop(record);
  }

  /** Forgets every record. */
  clear(): void {
    if (this.#count === 0 && this.#occupied === 0) return;
    this.#slots.fill(0);
    this.#head = this.#tail = this.#occupied = this.#count = this.#liveBytes = 0;
  }

  /** Writes `key` as UTF-8 into #key; its length, or -1 when it is too long to keep. */
  #encode(key: string): number {
    if (key.length > MAX_KEY_UNITS) return -1;
    return this.#key.write(key, 0, 'utf8');
  }

  /** FNV-1a over the encoded key from a per-process seed, then Murmur3's finaliser so the low bits (the slot) mix well. */
  #hash(length: number): number {
    const key = this.#key;
    let h = this.#seed;
    for (let i = 0; i < length; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  #findSlot(hash: number, length: number): number {
    const slots = this.#slots;
    let slot = hash & this.#mask;
    for (let probe = 0; probe < PROBE_LIMIT; probe++, slot = (slot + 1) & this.#mask) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      if (this.#slotHash[slot] === hash && this.#keyEquals(entry - 1, length)) return slot;
    }
    return -1;
  }

  #keyEquals(record: number, length: number): boolean {
    if (this.#u16[(record + 16) >> 1] !== length) return false;
    const bytes = this.bytes;
    const key = this.#key;
    const start = record + HEADER;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== key[i]) return false;
    return true;
  }

  #insertSlot(hash: number, record: number): boolean {
    let slot = hash & this.#mask;
    for (let probe = 0; probe < PROBE_LIMIT; probe++, slot = (slot + 1) & this.#mask) {
      if (this.#slots[slot] !== 0) continue;
      this.#slots[slot] = record + 1;
      this.#slotHash[slot] = hash;
      return true;
    }
    return false;
  }

  /** Takes an indexed record out: its slot, its counts, and the owner's mark. */
  #drop(record: number): void {
    const hash = this.#u32[(record + 4) >> 2]!;
    let slot = hash & this.#mask;
    for (let probe = 0; probe < PROBE_LIMIT && this.#slots[slot] !== record + 1; probe++) slot = (slot + 1) & this.#mask;
    if (this.#slots[slot] === record + 1) this.#emptySlot(slot);
    this.bytes[record + 18] = 0;
    this.#count--;
    this.#liveBytes -= this.#u32[record >> 2]!;
    const mark = this.bytes[record + 19]!;
    if (mark !== 0 && this.#onDrop) {
      const start = record + HEADER;
      this.#onDrop(() => this.bytes.toString('utf8', start, start + this.#u16[(record + 16) >> 1]!), mark);
    }
  }

  /** Empties a slot, moving later entries of its probe run back so that every lookup still finds them. */
  #emptySlot(slot: number): void {
    const slots = this.#slots;
    const hashes = this.#slotHash;
    let hole = slot;
    for (let next = (slot + 1) & this.#mask; slots[next] !== 0; next = (next + 1) & this.#mask) {
      const home = hashes[next]! & this.#mask;
      // The entry at `next` stays when its home lies cyclically in (hole, next].
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      slots[hole] = slots[next]!;
      hashes[hole] = hashes[next]!;
      hole = next;
    }
    slots[hole] = 0;
  }

  /** Room for `size` bytes at the head, evicting the oldest records as needed; where it starts. */
  #reserve(size: number): number {
    for (;;) {
      if (this.#occupied === 0) this.#head = this.#tail = 0;
      const head = this.#head;
      if (this.#occupied > 0 && this.#tail >= head) {
        // The free bytes are [head, tail).
        if (this.#tail - head >= size) break;
        this.#evictOldest();
        continue;
      }
      // The free bytes are [head, end) and [0, tail): a record that does not fit before the end skips it.
      if (this.#capacity - head >= size) break;
      this.#u32[head >> 2] = 0;
      this.#occupied += this.#capacity - head;
      this.#head = 0;
    }
    const at = this.#head;
    this.#occupied += size;
    this.#head = at + size === this.#capacity ? 0 : at + size;
    return at;
  }

  #evictOldest(): void {
    const tail = this.#tail;
    const size = this.#u32[tail >> 2]!;
    if (size === 0) {
      // The skipped end of the ring.
      this.#occupied -= this.#capacity - tail;
      this.#tail = 0;
      return;
    }
    if (this.bytes[tail + 18] === 1) this.#drop(tail);
    this.#occupied -= size;
    this.#tail = tail + size === this.#capacity ? 0 : tail + size;
  }
}
