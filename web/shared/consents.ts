/** The part of a consent (DESIGN §12) the pages' summaries read; the console and the sidebar JSON both carry it. */
export interface ConsentAnswer {
  purpose: string;
  granted: boolean;
}

/** The purpose whose withdrawal keeps a person out of rule and channel tags (src/storage/consents). */
export const MARKETING_PURPOSE = 'marketing';

/**
 * The person's marketing answer as the gateway acts on it (DESIGN §12): withdrawn on any channel counts as
 * withdrawn, as segment runs and channel codes read it; null when there is no marketing consent on record.
 */
export function marketingState(consents: readonly ConsentAnswer[]): 'granted' | 'withdrawn' | null {
  const marketing = consents.filter((c) => c.purpose === MARKETING_PURPOSE);
  if (marketing.length === 0) return null;
  return marketing.some((c) => !c.granted) ? 'withdrawn' : 'granted';
}
