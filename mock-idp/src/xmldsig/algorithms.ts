/** XML-DSig algorithm identifiers used by the IdP. */
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export type SignatureAlgorithm = 'rsa-sha256' | 'rsa-sha1';

export const SIGNATURE_ALGORITHMS: Record<
  SignatureAlgorithm,
  { signatureUri: string; digestUri: string; hash: 'sha256' | 'sha1' }
> = {
  'rsa-sha256': {
    signatureUri: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digestUri: 'http://www.w3.org/2001/04/xmlenc#sha256',
    hash: 'sha256',
  },
  'rsa-sha1': {
    signatureUri: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    digestUri: 'http://www.w3.org/2000/09/xmldsig#sha1',
    hash: 'sha1',
  },
};
