import { DOMParser } from '@xmldom/xmldom';

/**
 * Parses XML with xmldom, treating every error the parser reports as fatal. Refusing DTDs
 * is left to the caller, which knows which error code to give.
 */
export function parseWellFormed(
  xml: string,
): { doc: Document; problem?: undefined } | { doc?: undefined; problem: string } {
  const problems: string[] = [];
  const doc = new DOMParser({
    errorHandler: (level: string, msg: string) => {
      if (level !== 'warning') problems.push(msg);
    },
  }).parseFromString(xml, 'text/xml') as Document | undefined;
  if (problems.length || !doc?.documentElement) return { problem: problems[0] ?? 'no document element' };
  return { doc };
}
