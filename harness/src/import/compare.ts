import type { IdpId } from '../scenario/types.js';
import type { CapturedLogin } from './captured-login.js';
import { FEATURE_SOURCES } from './feature-sources.js';
import { FEATURE_NAMES, type Features } from './saml-features.js';

/** One line of the round trip: a structural feature or a value, captured against minted. */
export interface ComparisonRow {
  item: string;
  kind: 'feature' | 'value';
  captured: string;
  minted: string;
  /** `not inferable`: differs, and no setting could make it the same (with why). */
  verdict: 'same' | 'not inferable' | 'differs';
  why?: string;
}

export interface Side {
  features: Features;
  login: CapturedLogin;
}

const show = (v: string | undefined) => (v === undefined ? '(absent)' : v === '' ? '(empty)' : v);

/**
 * Compares the captured response with the one the mock minted from the imported setup,
 * feature by feature (the structural features the fidelity tests use), then value by value
 * (Issuer, endpoints, NameID, each attribute). A difference is `not inferable` only when the
 * vendor's software decides it (FEATURE_SOURCES) or `excused` names it with a reason;
 * everything a setting decides must come out the same.
 */
export function compareResponses(
  captured: Side,
  minted: Side,
  vendor: IdpId,
  excused: ReadonlyMap<string, string>,
): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const f of FEATURE_NAMES) {
    const c = captured.features[f];
    const m = minted.features[f];
    const row: ComparisonRow = { item: f, kind: 'feature', captured: c, minted: m, verdict: 'same' };
    if (c !== m) {
      if (FEATURE_SOURCES[f].by === 'vendor') {
        row.verdict = 'not inferable';
        row.why = `${FEATURE_SOURCES[f].what}: written by ${vendor}'s software for every tenant, not chosen by a setting; the profile writes its own form`;
      } else row.verdict = 'differs';
    }
    rows.push(row);
  }
  const ca = captured.login.assertion;
  const ma = minted.login.assertion;
  const value = (item: string, c: string | undefined, m: string | undefined) => {
    const row: ComparisonRow = { item, kind: 'value', captured: show(c), minted: show(m), verdict: 'same' };
    if (c !== m) {
      const why = excused.get(item);
      row.verdict = why ? 'not inferable' : 'differs';
      if (why) row.why = why;
    }
    rows.push(row);
  };
  value('Issuer', captured.login.issuer, minted.login.issuer);
  value('Destination', captured.login.destination, minted.login.destination);
  value('InResponseTo', captured.login.inResponseTo, minted.login.inResponseTo);
  if (!ca || !ma) {
    if (ca || ma) value('Assertion', ca ? 'in clear' : 'not readable', ma ? 'in clear' : 'not readable');
    return rows;
  }
  value('Audience', ca.audiences.join(' '), ma.audiences.join(' '));
  value('Recipient', ca.recipient, ma.recipient);
  value('NameID', ca.nameId?.value, ma.nameId?.value);
  value(
    'attribute names',
    ca.attributes.map((a) => a.name).join(' '),
    ma.attributes.map((a) => a.name).join(' '),
  );
  const names = [...new Set([...ca.attributes, ...ma.attributes].map((a) => a.name))];
  for (const name of names) {
    const c = ca.attributes.find((a) => a.name === name);
    const m = ma.attributes.find((a) => a.name === name);
    const values = (a: typeof c) => (a ? (a.values.length ? a.values.join(' | ') : '') : undefined);
    value(`attribute ${name}`, values(c), values(m));
  }
  // An attribute list that differs only by excused attributes is not a difference of its own.
  const list = rows.find((r) => r.item === 'attribute names')!;
  if (list.verdict === 'differs') {
    const keep = (a: { name: string }) => !excused.has(`attribute ${a.name}`);
    if (
      ca.attributes
        .filter(keep)
        .map((a) => a.name)
        .join(' ') ===
      ma.attributes
        .filter(keep)
        .map((a) => a.name)
        .join(' ')
    ) {
      list.verdict = 'not inferable';
      list.why = 'differs only by the attributes listed as not inferable';
    }
  }
  return rows;
}

/** Rows that are neither the same nor explained: what the round trip failed to reproduce. */
export const differing = (rows: readonly ComparisonRow[]) => rows.filter((r) => r.verdict === 'differs');
