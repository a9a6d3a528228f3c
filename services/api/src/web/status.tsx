/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * How a status decided by core is shown: its words (from the catalogue), a symbol and a tone
 * (colour). Status is never told by colour alone: the words always come with it. Nothing here
 * decides a status; every value comes from `registry.verify` (core's one decision).
 */
import type { VNode } from 'preact';
import type { Messages } from './i18n.ts';

export type Tone = 'ok' | 'warn' | 'neutral' | 'danger';

/** The tone of a verification status (or an effective badge status). */
export function toneOf(status: string): Tone {
  switch (status) {
    case 'VERIFIED':
    case 'ACTIVE':
      return 'ok';
    case 'SUSPENDED':
    case 'PENDING':
      return 'warn';
    case 'REVOKED':
    case 'FLAGGED':
      return 'danger';
    default:
      return 'neutral';
  }
}

const SYMBOL: Record<Tone, string> = { ok: '✓', warn: '!', neutral: '?', danger: '✕' };

/** Badge colours in the shields.io style: green VERIFIED, amber SUSPENDED, grey EXPIRED, red REVOKED or FLAGGED. */
export function badgeColourOf(status: string): string {
  switch (status) {
    case 'VERIFIED':
      return '#2e7d32';
    case 'SUSPENDED':
    case 'PENDING':
      return '#dfb317';
    case 'EXPIRED':
      return '#6e6e6e';
    case 'REVOKED':
    case 'FLAGGED':
      return '#c62828';
    default:
      return '#9f9f9f';
  }
}

/** A status in words with its symbol, e.g. in a table cell. */
export function StatusTag({ m, status }: { m: Messages; status: string }): VNode {
  const tone = toneOf(status);
  return (
    <span class={`tag tag-${tone}`}>
      <span aria-hidden="true">{SYMBOL[tone]} </span>
      {m.code('status', status)}
    </span>
  );
}

/** The big answer box: symbol, status word and headline. */
export function StatusBox({ m, status, children }: { m: Messages; status: string; children?: preact.ComponentChildren }): VNode {
  const tone = toneOf(status);
  return (
    <section class={`answer answer-${tone}`} aria-labelledby="answer-status">
      <p class="answer-status" id="answer-status">
        <span class="answer-symbol" aria-hidden="true">
          {SYMBOL[tone]}
        </span>{' '}
        <strong>{m.code('status', status)}</strong>
      </p>
      <p class="answer-headline">{m.code('statusHeadline', status)}</p>
      {children}
    </section>
  );
}

/** The answer's status box with its reason, when there is one (the reason's message is core's, in the page's language). */
export function AnswerBox({ m, answer }: { m: Messages; answer: { status: string; reason: { message: string } | null } }): VNode {
  return (
    <StatusBox m={m} status={answer.status}>
      {answer.reason ? (
        <p>
          <strong>{m.text('answerWhy')}:</strong> {answer.reason.message}
        </p>
      ) : null}
    </StatusBox>
  );
}
