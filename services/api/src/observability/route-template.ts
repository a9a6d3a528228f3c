/**
 * The route template of a path, for logs and metric labels: never the path itself, which can
 * carry an id or anything a client typed, and would give metrics unbounded label values.
 */
const EXACT = new Set(['/graphql', '/v1/verify', '/health', '/ready', '/.well-known/jwks.json', '/.well-known/trust-alliance', '/.well-known/trust-alliance/keys']);

/** @example routeTemplate('/status-lists/3') // '/status-lists/:id' */
export function routeTemplate(pathname: string): string {
  if (EXACT.has(pathname)) return pathname;
  if (pathname.startsWith('/status-lists/')) return '/status-lists/:id';
  if (pathname.startsWith('/admin/')) return '/admin/*';
  return 'unmatched';
}
