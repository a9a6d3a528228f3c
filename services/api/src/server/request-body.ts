/**
 * Reads and parses a GraphQL POST body before Yoga sees it, within a size limit.
 *
 * Why not leave it to Yoga: its `maxRequestBodySize` pipes every body through a
 * TransformStream, and node's stream pipeline creates and aborts an AbortController per request
 * (a DOMException with a captured stack each time: 4% of the service's CPU on its own in the
 * profile of GraphQL `verify`; without the pipeline, 1,900 -> 2,970 requests/s at 50 connections
 * on the bench data). A body handed over as text costs an `Object.keys` over every
 * character in @whatwg-node/server. Handing Yoga the parsed JSON object (the form it accepts
 * from frameworks that parse bodies themselves) skips both; the limit is enforced here, on the
 * declared length and on the bytes actually received (chunked bodies too).
 *
 * Only JSON is accepted for POST (what the GraphQL-over-HTTP spec requires servers to support);
 * other media types are refused with 415, which also keeps cross-site form posts out.
 */
import type { IncomingMessage } from 'node:http';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './nesting.ts';

export interface BodyProblem {
  ok: false;
  status: 400 | 413 | 415;
  code: 'BAD_REQUEST' | 'REQUEST_ENTITY_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE';
  message: string;
}
export type GraphQLBodyResult = { ok: true; params: Record<string, unknown> } | BodyProblem;

const JSON_MEDIA_TYPES = new Set(['application/json', 'application/graphql+json']);

const problem = (status: BodyProblem['status'], code: BodyProblem['code'], message: string): BodyProblem => ({ ok: false, status, code, message });
const tooLarge = (limit: number) => problem(413, 'REQUEST_ENTITY_TOO_LARGE', `Request body larger than ${limit} bytes. / Nội dung yêu cầu vượt quá ${limit} byte.`);

/**
 * For a request refused before its body was read: drain what the client sends (without
 * buffering it), so that the client, still writing, can read the answer. Closing the
 * connection instead was tried: clients then see a reset, not the 401/413.
 * @example closeAfterAnswer(req); sendNoStore(res, 413, …);
 */
export function closeAfterAnswer(req: IncomingMessage): void {
  req.resume();
}

/** The raw bytes of a body, or a problem once it passes `limit`. */
export function readBody(req: IncomingMessage, limit: number): Promise<{ ok: true; bytes: Buffer } | BodyProblem> {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    // One non-negative integer only: anything else is a smuggling attempt or a broken client.
    if (!/^\d+$/.test(declared)) {
      req.resume();
      return Promise.resolve(problem(400, 'BAD_REQUEST', 'Content-Length header is invalid. / Tiêu đề Content-Length không hợp lệ.'));
    }
    if (Number(declared) > limit) {
      closeAfterAnswer(req);
      return Promise.resolve(tooLarge(limit));
    }
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        // Keep draining (not destroying) so that the 413 answer can still be written.
        resolve(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

/**
 * @example
 * const read = await readGraphQLBody(req, 4 * 1024 * 1024);
 * if (read.ok) req.body = read.params; else respond(read.status, read.code, read.message);
 */
export async function readGraphQLBody(req: IncomingMessage, limit: number): Promise<GraphQLBodyResult> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_MEDIA_TYPES.has(mediaType)) {
    req.resume();
    return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as application/json. / Hãy gửi yêu cầu GraphQL dạng application/json.');
  }
  const read = await readBody(req, limit);
  if (!read.ok) return read;
  const text = read.bytes.toString('utf8');
  // One linear scan first: JSON.parse of a deeply nested body costs seconds of CPU.
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    return problem(400, 'BAD_REQUEST', `The request body nests deeper than ${MAX_JSON_DEPTH} levels. / Nội dung yêu cầu lồng sâu quá ${MAX_JSON_DEPTH} cấp.`);
  }
  let params: unknown;
  try {
    params = JSON.parse(text);
  } catch {
    return problem(400, 'BAD_REQUEST', 'The request body is not valid JSON. / Nội dung yêu cầu không phải JSON hợp lệ.');
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params) || Object.keys(params).length === 0) {
    return problem(400, 'BAD_REQUEST', 'The request body must be a JSON object with a `query`. / Nội dung yêu cầu phải là một đối tượng JSON có `query`.');
  }
  return { ok: true, params: params as Record<string, unknown> };
}
