/**
 * Scans every text, bytea, json and array column of every table of the registry's database for
 * strings, as an attacker holding a copy of the database AND the master data key would: raw
 * values, and every sealed value decrypted with every key that copy lets them rebuild (the
 * registry-wide keys derived from the master key, and each member key still wrapped in the
 * database). AES-GCM is counter mode underneath, so a sealed value decrypts without its
 * associated-data context; no guess of the context is needed. Compact JWS values (stored
 * attestations) are read with their claims decoded.
 */
import { createDecipheriv } from 'node:crypto';
import type { Registry } from '../../src/index.ts';
import { registryInternals } from '../../src/testing/index.ts';
import { loadDataKeys } from '../../src/privacy/data-key.ts';
import { SealedBox } from '../../src/privacy/sealed-box.ts';

export interface Hit {
  table: string;
  column: string;
  secret: string;
  /** How it was read: `plain`, or the key that decrypted it. */
  via: string;
}

/** The plaintext of a sealed value (privacy/sealed-box.ts layout) under `key`, without checking its tag or context. */
function decryptIgnoringContext(sealed: Buffer, key: Buffer): string | null {
  if (sealed.length < 29 || sealed[0] !== 1) return null;
  const counter = Buffer.concat([sealed.subarray(1, 13), Buffer.from([0, 0, 0, 2])]);
  const body = sealed.subarray(13, sealed.length - 16);
  const decipher = createDecipheriv('aes-256-ctr', key, counter);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

export async function scanDatabase(registry: Registry, secrets: readonly string[], dataKey: string): Promise<Hit[]> {
  const prisma = registryInternals(registry).db.prisma;
  const derived = await loadDataKeys({ dataKey });
  const keys: Array<[string, Buffer]> = [
    ['personalData', derived.personalData],
    ['keyWrapping', derived.keyWrapping],
    ['memberKeyWrapping', derived.memberKeyWrapping],
  ];
  const wrapping = new SealedBox(derived.memberKeyWrapping);
  for (const m of await prisma.member.findMany({ where: { dataKey: { not: null } }, select: { id: true, dataKey: true } })) {
    keys.push([`member:${m.id}`, Buffer.from(wrapping.open(m.dataKey!, `member-key:${m.id}`), 'base64url')]);
  }
  const columns = await prisma.$queryRawUnsafe<Array<{ table_name: string; column_name: string; data_type: string }>>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND data_type IN ('text', 'bytea', 'jsonb', 'json', 'ARRAY', 'character varying')`,
  );
  if (columns.length < 20) throw new Error('the scan found too few columns: it would prove nothing');
  const hits: Hit[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    // Names come from the catalog, not from input.
    const rows = await prisma.$queryRawUnsafe<Array<{ v: unknown }>>(`SELECT ${type === 'bytea' ? `"${column}"` : `"${column}"::text`} AS v FROM "${table}" WHERE "${column}" IS NOT NULL`);
    for (const { v } of rows) {
      const readings: Array<[string, string]> = [];
      if (v instanceof Uint8Array) {
        const bytes = Buffer.from(v);
        readings.push(['plain', bytes.toString('utf8')], ['plain', bytes.toString('latin1')]);
        for (const [name, key] of keys) {
          const text = decryptIgnoringContext(bytes, key);
          if (text !== null) readings.push([name, text]);
        }
      } else {
        const text = String(v);
        readings.push(['plain', text]);
        // A compact JWS (a stored attestation) carries its claims base64url-encoded: read them decoded too.
        for (const [, claims] of text.matchAll(/[A-Za-z0-9_-]{10,}\.([A-Za-z0-9_-]{10,})\.[A-Za-z0-9_-]+/g)) readings.push(['jws-payload', Buffer.from(claims!, 'base64url').toString('utf8')]);
      }
      for (const secret of secrets) for (const [via, text] of readings) if (text.includes(secret)) hits.push({ table, column, secret, via });
    }
  }
  return hits;
}
