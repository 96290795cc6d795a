import { X509Certificate } from 'node:crypto';
import { Document, type YAMLMap } from 'yaml';
import type { InferredSetup } from './infer-setup.js';

export interface SetupHeader {
  /** Where the setup came from, e.g. `capture.har, message 3 (HAR entry 7: POST …)`. */
  source: string;
  vendorLine: string;
  /** Set under --redact: how many values were replaced. */
  redacted?: number;
  /** The IdP certificate of the capture, described (left out under --redact). */
  certificatePem?: string;
  schemaPath: string;
}

/** `CN=…, SHA-256 AB:CD:…, valid 2016-02-09 to 2026-02-09`, or why it cannot be read. */
export function describeCertificate(pem: string): string {
  try {
    const c = new X509Certificate(pem);
    const day = (s: string) => new Date(s).toISOString().slice(0, 10);
    return `${c.subject.replace(/\n/g, ', ')}; SHA-256 ${c.fingerprint256}; valid ${day(c.validFrom)} to ${day(c.validTo)}`;
  } catch (e) {
    return `not readable as X.509 (${(e as Error).message})`;
  }
}

const bullet = (lines: readonly string[]) => lines.map((l) => `   - ${l}`);

/**
 * The setup as YAML, with the import's findings as comments: a header saying where it came
 * from, the vendor and why, what could not be inferred, and each attribute statement marked
 * as mapped or as a placeholder.
 */
export function renderSetup(inferred: InferredSetup, h: SetupHeader): string {
  const doc = new Document(inferred.setup);
  const placeholders = inferred.notes.filter((n) => n.how === 'placeholder');
  doc.commentBefore = [
    ` yaml-language-server: $schema=${h.schemaPath}`,
    ` Imported by \`idp-harness import\` from ${h.source}.`,
    ` ${h.vendorLine}`,
    ...(h.redacted !== undefined
      ? [
          ` Redacted: ${h.redacted} personal value${h.redacted === 1 ? '' : 's'} replaced with consistent fakes.`,
        ]
      : []),
    ...(inferred.inferred.length ? [' Read from the capture:', ...bullet(inferred.inferred)] : []),
    ' Not inferable (the setup cannot carry these):',
    ...bullet(inferred.notInferable),
    ...(placeholders.length
      ? [
          ' PLACEHOLDERS: the capture does not say which directory field fed these attributes; each reads',
          ' a field named after the attribute, which the user profile fills with the captured value:',
          ...bullet(placeholders.map((n) => `${n.attribute}`)),
        ]
      : []),
  ].join('\n');

  const key = doc.getIn(['signingKey'], true) as YAMLMap | undefined;
  if (key) {
    key.commentBefore = h.certificatePem
      ? ` The mock signs with its own test key. The captured IdP certificate: ${describeCertificate(h.certificatePem)}`
      : ' The mock signs with its own test key (the IdP key never leaves the IdP).';
  }
  const statements = inferred.setup.app.attributeStatements ?? [];
  statements.forEach((st, i) => {
    const node = doc.getIn(['app', 'attributeStatements', i], true) as YAMLMap;
    node.flow = true;
    const note = inferred.notes.find((n) => n.attribute === st.name);
    if (note)
      node.commentBefore = ` ${note.how === 'placeholder' ? 'PLACEHOLDER' : note.how}: ${note.detail}`;
  });
  (inferred.setup.app.groupAttributeStatements ?? []).forEach((_g, i) => {
    (doc.getIn(['app', 'groupAttributeStatements', i], true) as YAMLMap).flow = true;
  });
  const user = doc.getIn(['users', 0], true) as YAMLMap | undefined;
  if (user)
    user.commentBefore = ' The captured user; the password is a test password (a capture holds none).';
  return doc.toString({ lineWidth: 110 });
}
