/**
 * Ids in inputs. Output ids of node types are Relay global ids; inputs accept either a global
 * id of the expected type or the raw record id (a UUID), so that the CLI, tokens (whose
 * subject is the raw member id) and curl users need no encoding step.
 */
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '@trust-alliance/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The raw id of a `typename` record from a global or raw id; a ValidationError naming `field`
 * otherwise.
 *
 * @example rawId('TWVtYmVyOjAxOTY…', 'Member', 'memberId') // '0196…'
 */
export function rawId(value: string, typename: string, field: string): string {
  if (UUID.test(value)) return value.toLowerCase();
  try {
    const decoded = decodeGlobalID(value);
    if (decoded.typename === typename && UUID.test(decoded.id)) return decoded.id.toLowerCase();
  } catch {
    // fall through
  }
  throw new ValidationError(`${field} must be a ${typename} id`, field);
}

/** Like {@link rawId}, but returns null instead of throwing (for scope checks). */
export function rawIdOrNull(value: unknown, typename: string): string | null {
  if (typeof value !== 'string') return null;
  try {
    return rawId(value, typename, 'id');
  } catch {
    return null;
  }
}

/** The global id of a record. */
export const globalId = (typename: string, id: string): string => encodeGlobalID(typename, id);
