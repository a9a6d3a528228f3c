/**
 * One member per national ID number (CMND, 9 digits, or CCCD, 12 digits). The number is
 * personal data and is kept sealed with the rest; to find a second member with the same
 * number without ever storing it in clear, each member keeps a keyed blind index of it:
 * HMAC-SHA-256 of the digits under a key derived from `TRUST_DATA_KEY` for this use alone.
 * The index is compared by a unique column; without the key it cannot be reversed by trying
 * all numbers, and it differs between registries with different data keys.
 *
 * Members registered before the index existed get theirs on their next update, or all at once
 * from `backfillIdNumberIndex` (a migration cannot compute an HMAC).
 */
import { ConflictError } from '../errors.ts';
import type { Pseudonyms } from '../privacy/pseudonyms.ts';
import type { RegistryContext, Tx } from '../kernel/context.ts';
import { openPersonalData } from './personal-data.ts';

/** The field errors name: the input path of the number. */
export const ID_NUMBER_FIELD = 'personal.idNumber';

/** The HKDF label of the index key: a new label is a new index (all rows recomputed). */
const INDEX_KEY_INFO = 'trust-alliance national-id blind index v1';

/**
 * The number as compared: digits only (people write `079 123 456 789` or `079.123.456.789`).
 * @example normalizeIdNumber(' 079-123 456.789 ') // → '079123456789'
 */
export function normalizeIdNumber(text: string): string {
  return text.replace(/[^0-9]/g, '');
}

/**
 * The blind index of a national ID number (32 hex digits), or null for no number.
 * @example idNumberIndex(ctx.pseudonyms, '079123456789') // → 'a41c…'
 */
export function idNumberIndex(pseudonyms: Pseudonyms, idNumber: string | null | undefined): string | null {
  const digits = idNumber ? normalizeIdNumber(idNumber) : '';
  return digits === '' ? null : pseudonyms.derive(INDEX_KEY_INFO).of('national-id', digits);
}

/** The error for a number another member holds (the message never repeats the number). */
function idNumberTaken(): ConflictError {
  return new ConflictError('Số CMND/CCCD này đã được đăng ký cho một thành viên khác. / Another member is registered with this national ID number.', ID_NUMBER_FIELD);
}

/** Refuses an index another member already holds (the unique column also catches a race: {@link rethrowIdNumberRace}). */
export async function assertIdNumberFree(tx: Tx, index: string | null, memberId: string): Promise<void> {
  if (index === null) return;
  const other = await tx.member.findFirst({ where: { idNumberIndex: index, id: { not: memberId } }, select: { id: true } });
  if (other) throw idNumberTaken();
}

/**
 * For `.catch` on a Member write: a unique violation of the index (a concurrent writer took the
 * number between the check and the write) becomes the same ConflictError; anything else is rethrown.
 * @example await tx.member.create({ data }).catch(rethrowIdNumberRace);
 */
export function rethrowIdNumberRace(error: unknown): never {
  if (String((error as { code?: string }).code) === 'P2002' || /idNumberIndex/.test(String((error as Error).message))) throw idNumberTaken();
  throw error;
}

/** What {@link backfillIdNumberIndex} did. */
export interface IdNumberBackfill {
  /** Members given their index. */
  indexed: number;
  /** Members whose number another member already holds: left without an index for an officer to resolve. */
  duplicates: string[];
}

/**
 * Computes the index of every member that has none yet, one member at a time in member order
 * (the first registered keeps the number; later holders are listed in `duplicates`).
 *
 * @example const { indexed, duplicates } = await backfillIdNumberIndex(ctx);
 */
export async function backfillIdNumberIndex(ctx: RegistryContext): Promise<IdNumberBackfill> {
  const rows = await ctx.prisma.member.findMany({ where: { idNumberIndex: null, privateData: { not: null } }, select: { id: true, privateData: true, dataKey: true }, orderBy: { createdAt: 'asc' } });
  const out: IdNumberBackfill = { indexed: 0, duplicates: [] };
  for (const row of rows) {
    const index = idNumberIndex(ctx.pseudonyms, openPersonalData(ctx.memberKeys, row).idNumber);
    if (index === null) continue;
    if (await ctx.prisma.member.findFirst({ where: { idNumberIndex: index }, select: { id: true } })) {
      out.duplicates.push(row.id);
      continue;
    }
    out.indexed += (await ctx.prisma.member.updateMany({ where: { id: row.id, idNumberIndex: null }, data: { idNumberIndex: index } })).count;
  }
  return out;
}
