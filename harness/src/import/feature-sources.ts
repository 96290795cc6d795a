import type { FeatureName } from './saml-features.js';

/**
 * What decides each structural feature of a response. `setup`: a console setting the tenant
 * setup file carries, so an imported setup must reproduce it. `vendor`: the vendor's software
 * writes it the same for every tenant, so no setting chooses it; the vendor profile writes its
 * own form, and a capture from another release of the vendor may differ. These are what
 * identifies a vendor, and what `import --check` lists as not inferable when they differ.
 */
export const FEATURE_SOURCES: Record<FeatureName, { by: 'setup' | 'vendor'; what: string }> = {
  xmlDeclaration: { by: 'vendor', what: 'the XML declaration' },
  prefixes: { by: 'vendor', what: 'namespace prefixes' },
  namespaceDeclarations: { by: 'vendor', what: 'where namespaces are declared' },
  responseAttributeOrder: { by: 'vendor', what: 'attribute order on <Response>' },
  responseChildren: { by: 'setup', what: 'Response children (signing.response, encryption)' },
  assertionAttributeOrder: { by: 'vendor', what: 'attribute order on <Assertion>' },
  assertionChildren: { by: 'setup', what: 'Assertion children (signing.assertion, attribute statements)' },
  issuerPattern: { by: 'setup', what: 'the Issuer (orgId)' },
  issuerFormat: { by: 'vendor', what: 'the Issuer Format' },
  nameIdFormat: { by: 'setup', what: 'the NameID format (nameId.format)' },
  attributeNameFormat: { by: 'vendor', what: 'attribute NameFormat' },
  valueType: { by: 'vendor', what: 'AttributeValue xsi:type' },
  valueNamespaceDeclarations: { by: 'vendor', what: 'namespaces declared on AttributeValue' },
  emptyValueForm: { by: 'vendor', what: 'how an attribute without a value is written' },
  idPattern: { by: 'vendor', what: 'the shape of Response and Assertion IDs' },
  sessionIndex: { by: 'vendor', what: 'what the SessionIndex is' },
  timestampPrecision: { by: 'vendor', what: 'timestamp precision' },
  window: { by: 'vendor', what: 'the validity window (NotBefore, NotOnOrAfter, session)' },
  subjectConfirmationDataAttributeOrder: { by: 'vendor', what: 'attribute order on SubjectConfirmationData' },
  authnStatementAttributeOrder: { by: 'vendor', what: 'attribute order on AuthnStatement' },
  authnContextClassRef: { by: 'vendor', what: 'the AuthnContextClassRef' },
  signedElements: { by: 'setup', what: 'what is signed (signing.response, signing.assertion)' },
  signatureAlgorithms: { by: 'setup', what: 'signature algorithms (signing.algorithm)' },
  inclusiveNamespaces: { by: 'vendor', what: 'the exc-c14n InclusiveNamespaces PrefixList' },
  keyInfo: { by: 'vendor', what: 'what KeyInfo carries' },
  base64Wrapping: { by: 'vendor', what: 'line wrapping of the certificate and SignatureValue' },
  encryption: { by: 'setup', what: 'assertion encryption (encryption.algorithm, SP certificate)' },
};

export const NA = 'n/a';
