/**
 * Tells every replica that the registry changed, so caches are dropped at once. Writers send
 * a notice on `trust_registry_changed` inside their transaction (PostgreSQL delivers it only if the
 * transaction commits); each replica keeps one listening connection. A lost connection means
 * notices may have been missed, so the listener clears caches again when it reconnects.
 */
import pg from 'pg';

export const CHANGE_CHANNEL = 'trust_registry_changed';

/**
 * Listens for change notices other than those sent as `selfId`; `onChange` also runs after
 * every (re)connect.
 */
export async function listenForChanges(connectionString: string, selfId: string, onChange: () => void): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (notice) => {
      if (notice.payload !== selfId) onChange();
    });
    c.on('error', () => {
      if (closed) return;
      c.end().catch(() => {});
      onChange();
      retry = setTimeout(() => void connect().catch(() => {}), 1000);
    });
    await c.connect();
    await c.query(`LISTEN ${CHANGE_CHANNEL}`);
    client = c;
    onChange();
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
