/**
 * `pnpm cli <command>`: token, seed, verify, keys, migrate. Run `pnpm cli --help` or
 * `pnpm cli <command> --help`.
 *
 * With the embedded database (no DATABASE_URL), a running service holds the data folder
 * (one owner per folder: core's folder lock). The CLI then goes through that service: it finds it by
 * `api-service.json` in the data folder and uses its loopback-only admin routes (token, seed,
 * keys) or its GraphQL endpoint (verify). Otherwise, and with PostgreSQL, it opens the database
 * directly (taking the folder lock itself; a service file left by a killed service is ignored).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { ERROR_TABLE, generateDataKey, openRegistry, RegistryError, StorageError, type KeyHistoryEntry, type Registry } from '@trust-alliance/core';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { ConfigError, CONFIG_EXIT_CODE, loadConfig, type ApiConfig } from '../config.ts';
import { MAX_ACCESS_TOKEN_TTL_SECONDS as MAX_TTL_SECONDS } from '@trust-alliance/core';
import { ROLES, isRole } from '../auth/roles.ts';
import { readServiceFile, type ServiceFile } from '../lifecycle/service-file.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { createApp } from '../server/create-yoga.ts';
import { processIsAlive } from '../lifecycle/process-alive.ts';

/** A usage error: message to stderr, exit code 2. */
class UsageError extends Error {}

const HELP: Record<string, string> = {
  main: `Usage: pnpm cli <command> [options]

Commands:
  token     print a bearer token for a role
  seed      load the demo data set
  verify    verify an account URL and print the answer as JSON
  keys      list, rotate or mark compromised the registry's signing keys; rotate the master data key
  migrate   apply pending database migrations
  privacy   personal data: breach report, retention job (docs/PRIVACY.md)

Environment: DATABASE_URL (PostgreSQL; default: embedded PGlite), TRUST_DATA_DIR (default ./.data), and the
service's other variables (services/api/README.md#environment), validated before any command runs.
Exit codes: 0 done, 1 unexpected failure, 2 usage, 3 refused (fix the input), 4 storage, keys or a
bad environment variable.
Run "pnpm cli <command> --help" for a command's options.`,
  token: `Usage: pnpm cli token --role <ROLE> [--subject <id>] [--ttl <duration>]

Prints a bearer token signed with the registry's key.
  --role      one of ${ROLES.join(', ')} (required)
  --subject   who the token is for; for MEMBER the member id (raw or Member node id; required)
  --ttl       lifetime: 3600, 90s, 30m, 1h, 1d (default 1h, at most 24h)`,
  seed: `Usage: pnpm cli seed

Loads the demo data set (Cần Thơ and neighbouring provinces). Does nothing if it is already there.`,
  verify: `Usage: pnpm cli verify <url> [--at <ISO time>]

Prints the verification answer for an account URL as JSON.
  --at   answer for a past moment, e.g. 2026-01-01T00:00:00Z`,
  keys: `Usage: pnpm cli keys <list | rotate | compromise | data-key | rotate-data-key> [options]

  pnpm cli keys list                                   the key history as JSON (kid, algorithm, status, dates, reason)
  pnpm cli keys rotate [--algorithm ES256] [--reason <text>]
                                                       make a new key current; the old one stays published
                                                       until everything it signed has expired
  pnpm cli keys compromise <kid> --reason <text>       withdraw a key at once (it leaves /.well-known/jwks.json);
                                                       a compromised current key is replaced
  pnpm cli keys data-key                               print a new random TRUST_DATA_KEY: for a new database, or as
                                                       the new key of a rotation (data written under one key is not
                                                       read under another unless rotated: rotate-data-key)
  pnpm cli keys rotate-data-key [--batch-size <n>]    re-wrap every stored key from TRUST_DATA_KEY_PREVIOUS to
                                                       TRUST_DATA_KEY while the service runs (docs/PRIVACY.md,
                                                       "Rotating the master data key"); progress on stderr;
                                                       safe to run again after an interruption
  --algorithm   EdDSA (Ed25519, default) or ES256
  --batch-size  members re-wrapped per transaction, 1 to 5000 (default 500)`,
  privacy: `Usage: pnpm cli privacy <breach-report | retention> [options]

  pnpm cli privacy breach-report --actor <id> --since <ISO time> [--until <ISO time>]
        whose personal data the actor (a token subject) read in the period, which fields, how often,
        for which purposes, and a drafted notice in Vietnamese and English (JSON)
  pnpm cli privacy retention [--dry-run]
        erase personal data past its retention period (ended memberships, reporters' contacts, report texts),
        publish the erasure counts of past UTC days to the log, and print what was erased and kept (JSON);
        --dry-run only lists what is due (and publishes nothing)
Runs as ADMIN (subject "cli"), through the running service if there is one.`,
  migrate: `Usage: pnpm cli migrate

Applies pending migrations from packages/core/prisma/migrations (the service also does this when it starts).`,
};

/** Seconds from "3600", "90s", "30m", "1h", "1d". */
export function parseTtl(value: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) throw new UsageError(`--ttl must look like 3600, 90s, 30m, 1h or 1d, got "${value}"`);
  const seconds = Number(match[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86_400 } as const)[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  if (seconds < 1 || seconds > MAX_TTL_SECONDS) throw new UsageError(`--ttl must be from 1 second to ${MAX_TTL_SECONDS / 3600} hours`);
  return seconds;
}

function memberSubject(value: string): string {
  try {
    const decoded = decodeGlobalID(value);
    if (decoded.typename === 'Member') return decoded.id;
  } catch {
    // a raw id
  }
  return value;
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

async function withService<T>(config: ApiConfig, onService: (service: ServiceFile) => Promise<T>, direct: () => Promise<T>): Promise<T> {
  if (config.databaseUrl === undefined) {
    const dataDir = resolve(config.dataDir);
    const service = await readServiceFile(dataDir);
    // A service killed with SIGKILL leaves its file behind: only a live one answers.
    if (service && processIsAlive(service.pid)) return onService(service);
  }
  return direct();
}

async function withRegistry<T>(config: ApiConfig, work: (registry: Registry) => Promise<T>): Promise<T> {
  // Core writes the data key before it creates the folder (reported); create it first.
  const registry = await openRegistry({ databaseUrl: config.databaseUrl, dataDir: resolve(config.dataDir), issuer: config.issuer, dataKey: config.dataKey, previousDataKey: config.previousDataKey, signingAlgorithm: config.signingAlgorithm });
  try {
    return await work(registry);
  } finally {
    await registry.close();
  }
}

async function adminCall(service: ServiceFile, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${service.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-trust-admin-secret': service.adminSecret }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { error?: string | { message?: string; incident?: string } };
  const reason = typeof json.error === 'object' ? `${json.error.message ?? ''}${json.error.incident ? ` (incident ${json.error.incident})` : ''}` : json.error;
  if (!res.ok) throw new Error(`the running service (${service.origin}) refused: ${reason || res.status}`);
  return json;
}

const VERIFY_QUERY = `query Verify($input: VerifyInput!, $at: DateTime) {
  verify(input: $input, at: $at) {
    status input { url platform handle } account { platform key url } member { id displayName kind province }
    badges { id program status issuedAt expiresAt } flags { category since } error { code message } checkedAt at
  }
}`;

async function command(name: string, argv: string[], io: Io, config: ApiConfig): Promise<void> {
  const help = HELP[name];
  if (!help) throw new UsageError(`Unknown command "${name}".\n\n${HELP.main}`);
  const str = { type: 'string' } as const;
  const options: NonNullable<ParseArgsConfig['options']> = {
    help: { type: 'boolean', short: 'h' },
    ...(name === 'token' ? { role: str, subject: str, ttl: str } : {}),
    ...(name === 'verify' ? { at: str } : {}),
    ...(name === 'keys' ? { algorithm: str, reason: str, 'batch-size': str } : {}),
    ...(name === 'privacy' ? { actor: str, since: str, until: str, 'dry-run': { type: 'boolean' } } : {}),
  };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: name === 'verify' || name === 'keys' || name === 'privacy', strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${help}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return io.out(help);

  switch (name) {
    case 'token': {
      const role = typeof values.role === 'string' ? values.role.toUpperCase() : undefined;
      if (!role) throw new UsageError(`--role is required.\n\n${help}`);
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${values.role}"`);
      const subject = typeof values.subject === 'string' ? (role === 'MEMBER' ? memberSubject(values.subject) : values.subject) : undefined;
      if (role === 'MEMBER' && !subject) throw new UsageError('A MEMBER token needs --subject <member id>');
      const ttlSeconds = typeof values.ttl === 'string' ? parseTtl(values.ttl) : 3600;
      const token = await withService(
        config,
        async (service) => ((await adminCall(service, '/admin/token', { role, subject, ttlSeconds })) as { token: string }).token,
        () =>
          withRegistry(config, async (registry) => {
            return registry.keys.issueAccessToken({ role, ttlSeconds, ...(subject ? { subject } : {}) });
          }),
      );
      return io.out(token);
    }
    case 'seed': {
      const summary = await withService(
        config,
        (service) => adminCall(service, '/admin/seed', {}) as Promise<Awaited<ReturnType<typeof seedDemo>>>,
        () => withRegistry(config, (registry) => seedDemo(registry, { log: (m) => io.err(m) })),
      );
      return io.out(summary.seeded ? `Seeded: ${summary.members} members, ${summary.badges} badges.` : `Nothing to do: ${summary.reason}.`);
    }
    case 'verify': {
      const url = parsed.positionals[0];
      if (!url || parsed.positionals.length > 1) throw new UsageError(`verify takes exactly one URL.\n\n${help}`);
      let at: string | undefined;
      if (typeof values.at === 'string') {
        if (Number.isNaN(Date.parse(values.at)) || !/^\d{4}-\d{2}-\d{2}T/.test(values.at)) throw new UsageError(`--at must be an ISO 8601 time, got "${values.at}"`);
        at = new Date(values.at).toISOString();
      }
      const body = JSON.stringify({ query: VERIFY_QUERY, variables: { input: { url }, at } });
      const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
      const res = await withService(
        config,
        (service) => fetch(`${service.origin}/graphql`, init),
        () => withRegistry(config, async (registry) => createApp({ registry, graphiql: false, logError: () => {} }).yoga.fetch('http://cli/graphql', init)),
      );
      const json = (await res.json()) as { data?: { verify?: unknown }; errors?: Array<{ message: string }> };
      if (!json.data?.verify) throw new Error(json.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`);
      return io.out(JSON.stringify(json.data.verify, null, 2));
    }
    case 'keys':
      return io.out(await keysCommand(parsed.positionals, values, help, config, io));
    case 'privacy':
      return io.out(await privacyCommand(parsed.positionals, values, help, config));
    case 'migrate': {
      const done = await withService(
        config,
        async (service) => `The service at ${service.origin} holds the embedded database and applied every migration when it started.`,
        () =>
          withRegistry(config, async (registry) => {
            const { applied, alreadyApplied } = registry.migrations;
            return applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')} (${alreadyApplied.length} already applied).` : `Up to date (${alreadyApplied.length} migration(s) applied).`;
          }),
      );
      return io.out(done);
    }
  }
}

function isoTime(value: string | boolean | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}(T|$)/.test(value)) throw new UsageError(`--${flag} must be an ISO 8601 time, got "${String(value)}"`);
  return new Date(value).toISOString();
}

/** One GraphQL operation as ADMIN (subject "cli"): through the running service, else in process. */
async function adminGraphql(config: ApiConfig, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const call = (fetcher: (init: RequestInit) => Promise<Response>, token: string) =>
    fetcher({ method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const res = await withService(
    config,
    async (service) => call((init) => fetch(`${service.origin}/graphql`, init), ((await adminCall(service, '/admin/token', { role: 'ADMIN', subject: 'cli', ttlSeconds: 300 })) as { token: string }).token),
    () => withRegistry(config, async (registry) => call((init) => Promise.resolve(createApp({ registry, graphiql: false, logError: () => {} }).yoga.fetch('http://cli/graphql', init)), await registry.keys.issueAccessToken({ role: 'ADMIN', subject: 'cli', ttlSeconds: 300 }))),
  );
  const json = (await res.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (!json.data || json.errors?.length) {
    const code = json.errors?.[0]?.extensions?.code;
    const message = json.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`;
    // A refusal core explains keeps its exit code (3); anything else is unexpected (1).
    if (code && code in ERROR_TABLE) throw new RegistryError(code as keyof typeof ERROR_TABLE, message);
    throw new Error(message);
  }
  return json.data;
}

async function privacyCommand(positionals: string[], values: Record<string, string | boolean | undefined>, help: string, config: ApiConfig): Promise<string> {
  const [action, ...rest] = positionals;
  if (rest.length) throw new UsageError(`privacy ${action} takes no positional arguments.\n\n${help}`);
  switch (action) {
    case 'breach-report': {
      if (typeof values.actor !== 'string' || values.actor.trim() === '') throw new UsageError(`privacy breach-report needs --actor <id>.\n\n${help}`);
      const since = isoTime(values.since, 'since');
      if (!since) throw new UsageError(`privacy breach-report needs --since <ISO time>.\n\n${help}`);
      const until = isoTime(values.until, 'until');
      const data = await adminGraphql(
        config,
        `query($actor: String!, $since: DateTime!, $until: DateTime) { breachReport(actorId: $actor, since: $since, until: $until) { actorId since until totalReads members { memberId fields reads purposes firstAt lastAt } noticeVi noticeEn } }`,
        { actor: values.actor, since, until },
      );
      return JSON.stringify(data.breachReport, null, 2);
    }
    case 'retention': {
      if (values.actor !== undefined || values.since !== undefined || values.until !== undefined) throw new UsageError(`privacy retention takes only --dry-run.\n\n${help}`);
      const data = await adminGraphql(
        config,
        `mutation($dryRun: Boolean) { runRetention(dryRun: $dryRun) { __typename ... on RunRetentionPayload { checkedAt dryRun erased { memberId rule endedAt dueAt erasureId } kept { memberId rule reason } reportContactsErased reportTextsErased flagReasonsErased reportPhoneKeysForgotten idempotencyRecordsDeleted erasureCounts { day count grounds } earlierErasuresCompleted } ... on Error { code message } } }`,
        { dryRun: values['dry-run'] === true },
      );
      const result = data.runRetention as { __typename: string; code?: string; message?: string };
      if (result.code) throw new RegistryError(result.code as keyof typeof ERROR_TABLE, result.message ?? result.code);
      const { __typename: _type, ...report } = result;
      return JSON.stringify(report, null, 2);
    }
    default:
      throw new UsageError(`${action ? `Unknown privacy action "${action}"` : 'privacy needs an action'}: breach-report or retention.\n\n${help}`);
  }
}

/** EdDSA or ES256 from a user's spelling (es256, Ed25519, eddsa…). */
function parseAlgorithm(value: string): 'EdDSA' | 'ES256' {
  const v = value.trim().toLowerCase();
  if (v === 'es256') return 'ES256';
  if (v === 'eddsa' || v === 'ed25519') return 'EdDSA';
  throw new UsageError(`--algorithm must be EdDSA or ES256, got "${value}"`);
}

type PublicKey = Omit<KeyHistoryEntry, 'publicJwk'>;
const withoutJwk = ({ publicJwk: _jwk, ...rest }: KeyHistoryEntry): PublicKey => rest;

async function keysCommand(positionals: string[], values: Record<string, string | boolean | undefined>, help: string, config: ApiConfig, io: Io): Promise<string> {
  const [action, ...rest] = positionals;
  const reason = typeof values.reason === 'string' ? values.reason : undefined;
  if (reason !== undefined && (reason.trim() === '' || reason.length > 500)) throw new UsageError('--reason must be 1 to 500 characters');
  if (values['batch-size'] !== undefined && action !== 'rotate-data-key') throw new UsageError('--batch-size is for keys rotate-data-key');
  switch (action) {
    case 'rotate-data-key': {
      if (rest.length || values.algorithm !== undefined || reason !== undefined) throw new UsageError(`keys rotate-data-key takes only --batch-size.\n\n${help}`);
      const raw = values['batch-size'];
      const batchSize = raw === undefined ? undefined : /^\d+$/.test(String(raw)) ? Number(raw) : Number.NaN;
      if (batchSize !== undefined && !(Number.isSafeInteger(batchSize) && batchSize >= 1 && batchSize <= 5000)) throw new UsageError(`--batch-size must be a whole number from 1 to 5000, got "${String(raw)}"`);
      // The embedded database has one owner: the rotation runs in it, so the service must be stopped.
      await withService(
        config,
        async (service) => {
          throw new StorageError('STORAGE_ERROR', `Dịch vụ (pid ${service.pid}) đang giữ cơ sở dữ liệu nhúng: dừng nó rồi chạy lại lệnh này. / The service (pid ${service.pid}) holds the embedded database: stop it, then run this command again.`);
        },
        async () => undefined,
      );
      const result = await withRegistry(config, (registry) =>
        registry.rotateDataKey({ ...(batchSize === undefined ? {} : { batchSize }), onProgress: ({ done, total }) => io.err(`Re-wrapped ${done}/${total} stored keys`) }),
      );
      return (
        `Mọi khóa lưu trữ giờ được bọc bằng khóa chính ${result.masterKeyId} (${result.secrets} bí mật của hệ thống, ${result.members} khóa thành viên lần này). Có thể bỏ TRUST_DATA_KEY_PREVIOUS.\n` +
        `Every stored key is now wrapped under master key ${result.masterKeyId} (${result.secrets} registry secret(s), ${result.members} member key(s) this run). TRUST_DATA_KEY_PREVIOUS can be removed.`
      );
    }
    case 'data-key': {
      // Opens nothing: a new key is only for a new database.
      if (rest.length || values.algorithm !== undefined || reason !== undefined) throw new UsageError(`keys data-key takes no arguments.\n\n${help}`);
      return generateDataKey();
    }
    case 'list': {
      if (rest.length || values.algorithm !== undefined || reason !== undefined) throw new UsageError(`keys list takes no arguments.\n\n${help}`);
      const keys = await withService(
        config,
        async (service) => ((await adminCall(service, '/admin/keys/list', {})) as { keys: PublicKey[] }).keys,
        () => withRegistry(config, async (registry) => (await registry.keys.history()).map(withoutJwk)),
      );
      return JSON.stringify(keys, null, 2);
    }
    case 'rotate': {
      if (rest.length) throw new UsageError(`keys rotate takes no positional arguments.\n\n${help}`);
      const algorithm = typeof values.algorithm === 'string' ? parseAlgorithm(values.algorithm) : undefined;
      const key = await withService(
        config,
        async (service) => ((await adminCall(service, '/admin/keys/rotate', { algorithm, reason })) as { key: PublicKey }).key,
        () => withRegistry(config, async (registry) => withoutJwk(await registry.keys.rotate(algorithm, reason))),
      );
      return `New current signing key ${key.kid} (${key.algorithm}). The previous key stays published until everything it signed has expired.`;
    }
    case 'compromise': {
      const kid = rest[0];
      if (!kid || rest.length > 1) throw new UsageError(`keys compromise takes exactly one kid.\n\n${help}`);
      if (reason === undefined) throw new UsageError('keys compromise needs --reason "<why>" (it is shown in the public key history)');
      if (values.algorithm !== undefined) throw new UsageError('--algorithm is for keys rotate');
      const key = await withService(
        config,
        async (service) => ((await adminCall(service, '/admin/keys/compromise', { kid, reason })) as { key: PublicKey }).key,
        () => withRegistry(config, async (registry) => withoutJwk(await registry.keys.markCompromised(kid, reason))),
      );
      return `Signing key ${key.kid} marked compromised (${key.reason}). It has left the published key set; a new current key signs from now on.`;
    }
    default:
      throw new UsageError(`${action ? `Unknown keys action "${action}"` : 'keys needs an action'}: list, rotate, compromise, data-key or rotate-data-key.\n\n${help}`);
  }
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: Io = { out: (t) => console.log(t), err: (t) => console.error(t) }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP.main!);
    return name ? 0 : 2;
  }
  try {
    // The environment, validated once (config.ts) before any command runs.
    await command(name, rest, io, loadConfig());
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Error: ${error.message}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`Error: ${error.message}`);
      return CONFIG_EXIT_CODE;
    }
    io.err(`Error: ${(error as Error).message ?? String(error)}`);
    // Refused input 3, storage or keys 4 (core's error table); anything else 1.
    return error instanceof RegistryError ? ERROR_TABLE[error.code].exitCode : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
