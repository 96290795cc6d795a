import type { Outcome, OutcomeRecogniser } from './outcomes.js';

/** How a target file recognises one outcome: every condition given must hold (docs/target-file.md, `outcomes`). */
export interface OutcomeSection {
  /** Text the page shows. */
  text?: string;
  /** A regular expression over the page's visible text. */
  pattern?: string;
  /** The page's URL starts with this. */
  url?: string;
  /** The page's HTTP status. */
  status?: number;
}

/** The recogniser a target file's `outcomes` describe; an outcome it does not declare is unknown, with the reason. */
export function fileOutcomes(
  declared: Partial<Record<Outcome, OutcomeSection>> | undefined,
  fill: (u: string) => string,
): OutcomeRecogniser {
  return (outcome, page) => {
    const o = declared?.[outcome];
    if (!o)
      return { unknown: `the target file declares no way to recognise ${outcome} (outcomes.${outcome})` };
    const misses: string[] = [];
    if (o.url !== undefined && !page.url.startsWith(fill(o.url)))
      misses.push(`its URL is not under ${fill(o.url)}`);
    if (o.status !== undefined && page.status !== o.status)
      misses.push(`it answered ${page.status}, not ${o.status}`);
    if (o.text !== undefined && !page.text.includes(o.text)) misses.push(`it does not say "${o.text}"`);
    if (o.pattern !== undefined && !new RegExp(o.pattern).test(page.text))
      misses.push(`nothing matches /${o.pattern}/`);
    return misses.length
      ? { shown: false, evidence: `${page.url} is not ${outcome}: ${misses.join(', ')}` }
      : { shown: true, evidence: `${page.url} is ${outcome} as outcomes.${outcome} describes it` };
  };
}
