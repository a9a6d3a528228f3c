/**
 * Rotating the master data key (issue 17): re-wraps every stored key from the retiring master key
 * (`TRUST_DATA_KEY_PREVIOUS`) to the current one (`TRUST_DATA_KEY`) while the registry serves.
 * Only wrapped keys change: the registry's secrets (privacy/registry-secrets.ts; the signing and
 * log keys are sealed under one of them) and each member's own key (privacy/member-keys.ts).
 * No sealed value, pseudonym, blind index or log entry changes.
 *
 * Members go in batches, each its own short transaction, each row guarded by its old wrapped value
 * (an erasure or a new key written meanwhile is never overwritten). Rows already under the current
 * key are skipped, so an interrupted run just runs again. A reader holding both keys reads either
 * form (MemberKeys tries each). Only when nothing is left under another key is the database's key
 * check value replaced by the current key's: from then on the retiring key alone is refused.
 */
import { ForbiddenError, KeyError } from '../errors.ts';
import type { Actor, RegistryContext } from '../kernel/context.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { KEY_CHECK_SETTING, keyCheckValue } from '../privacy/key-check.ts';
import { unknownMasterKey, unwrapSecret, wrapSecret } from '../privacy/registry-secrets.ts';

/** Members per transaction by default. */
export const ROTATION_BATCH_SIZE = 500;
/** Passes over the members before giving up on rows still written under another key. */
const MAX_PASSES = 3;

/** How far a rotation is: stored keys re-wrapped (or found gone) of those found to do. */
export interface RotationProgress {
  done: number;
  total: number;
}

export interface RotateDataKeyOptions {
  /** Members per transaction (1 to 5,000; default 500). */
  batchSize?: number;
  /** Called after each batch; a throw stops the rotation there (what is done stays done). */
  onProgress?: (progress: RotationProgress) => void | Promise<void>;
  /** Stops between batches; the result says `completed: false`, and a later run resumes. */
  signal?: AbortSignal;
}

export interface RotationResult {
  /** Id (public fingerprint) of the master key everything is wrapped under now. */
  masterKeyId: string;
  /** False when stopped by `signal`: run again to finish. */
  completed: boolean;
  /** Registry secrets and member keys re-wrapped by this run. */
  secrets: number;
  members: number;
}

const notCurrent = (id: string): Prisma.MemberWhereInput => ({ dataKey: { not: null }, OR: [{ dataKeyMasterKeyId: null }, { dataKeyMasterKeyId: { not: id } }] });

/**
 * @example
 * const { completed } = await registry.rotateDataKey({ onProgress: ({ done, total }) => console.log(`${done}/${total}`) });
 */
export async function rotateDataKey(ctx: RegistryContext, options: RotateDataKeyOptions = {}, actor: Actor): Promise<RotationResult> {
  if (actor.role !== 'ADMIN' && actor.role !== 'SYSTEM') throw new ForbiddenError('ADMIN', 'Chỉ ADMIN được xoay vòng khóa dữ liệu chính. / Only an ADMIN may rotate the master data key.');
  const batchSize = options.batchSize ?? ROTATION_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw new RangeError('batchSize must be a whole number from 1 to 5000');
  const { prisma, dataKeys: keys } = ctx;
  const current = keys.id;
  const result: RotationResult = { masterKeyId: current, completed: false, secrets: 0, members: 0 };
  const secretsToDo = await prisma.registrySecret.count({ where: { masterKeyId: { not: current } } });
  let total = secretsToDo + (await prisma.member.count({ where: notCurrent(current) }));
  let done = 0;
  const report = async () => options.onProgress?.({ done, total: Math.max(total, done) });
  await report();

  // The few registry secrets: one transaction, each row guarded by the key it was wrapped under.
  result.secrets = await prisma.$transaction(async (tx) => {
    let moved = 0;
    for (const row of await tx.registrySecret.findMany({ where: { masterKeyId: { not: current } } })) {
      const value = unwrapSecret(keys, row);
      moved += (await tx.registrySecret.updateMany({ where: { name: row.name, masterKeyId: row.masterKeyId }, data: { wrapped: wrapSecret(keys, row.name, value), masterKeyId: current } })).count;
    }
    return moved;
  });
  done += secretsToDo;
  await report();

  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let after = '';
    for (;;) {
      if (options.signal?.aborted) return result;
      const batch = await prisma.$transaction(
        async (tx) => {
          const rows = await tx.member.findMany({ where: { id: { gt: after }, ...notCurrent(current) }, orderBy: { id: 'asc' }, take: batchSize, select: { id: true, dataKey: true, dataKeyMasterKeyId: true } });
          let moved = 0;
          for (const row of rows) {
            let rewrapped: Uint8Array<ArrayBuffer>;
            try {
              rewrapped = ctx.memberKeys.rewrap(row.id, row.dataKey!);
            } catch {
              throw unknownMasterKey(row.dataKeyMasterKeyId);
            }
            // Guarded by the old value: a key erased or replaced meanwhile is left as it now is.
            moved += (await tx.member.updateMany({ where: { id: row.id, dataKey: { equals: row.dataKey! } }, data: { dataKey: rewrapped, dataKeyMasterKeyId: current } })).count;
          }
          return { count: rows.length, last: rows.at(-1)?.id, moved };
        },
        { maxWait: 10_000, timeout: 60_000 },
      );
      if (batch.count === 0) break;
      after = batch.last!;
      result.members += batch.moved;
      done += batch.count;
      await report();
    }
    const left = await prisma.member.count({ where: notCurrent(current) });
    if (left === 0) break;
    // Written under the retiring key during this pass: a replica still runs without the new key.
    if (pass === MAX_PASSES - 1) throw stillWrittenUnderOldKey(left);
    total += left;
  }

  if ((await prisma.registrySecret.count({ where: { masterKeyId: { not: current } } })) > 0) throw stillWrittenUnderOldKey(0);
  await prisma.registrySetting.upsert({ where: { name: KEY_CHECK_SETTING }, create: { name: KEY_CHECK_SETTING, value: keyCheckValue(keys) }, update: { value: keyCheckValue(keys) } });
  result.completed = true;
  return result;
}

function stillWrittenUnderOldKey(left: number): KeyError {
  return new KeyError(
    `Vẫn còn ${left} khóa được bọc bằng khóa chính cũ sau ${MAX_PASSES} lượt: một bản chạy của dịch vụ còn chưa có TRUST_DATA_KEY mới. Cấu hình mọi bản chạy với TRUST_DATA_KEY mới và TRUST_DATA_KEY_PREVIOUS cũ rồi chạy lại (docs/PRIVACY.md).\n` +
      `${left} key(s) are still wrapped under the previous master key after ${MAX_PASSES} passes: an instance of the service still runs without the new TRUST_DATA_KEY. Give every instance TRUST_DATA_KEY=new and TRUST_DATA_KEY_PREVIOUS=old, then run again (docs/PRIVACY.md).`,
  );
}
