/** The part of xml-encryption's API used here (it ships no type definitions). */
declare module 'xml-encryption' {
  export interface DecryptOptions {
    key: string | Buffer;
    disallowDecryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  export function decrypt(
    xml: string | Node,
    options: DecryptOptions,
    callback: (err: Error | null, decrypted: string) => void,
  ): void;
  const xmlenc: { decrypt: typeof decrypt };
  export default xmlenc;
}
