import type { Answerer, GroundedAnswer, Passage } from '../core/ports/retriever.js';
import { contentStems } from '../text/tokenize.js';
import { readableSentences } from './chunks.js';
import type { ScoredPassage, ScoringRetriever } from './retriever.js';

/**
 * Answers questions from the notes without an LLM: 2-4 sentences of the top passages that share the
 * most (idf-weighted) words with the question, quoted as one short paragraph per passage ending in
 * a `[noteId]` citation, then one "Sources" line per note. When the top passages cover too little
 * of the question, the reply says the knowledge base does not cover it and names the nearest notes.
 */

export interface OfflineAnswererOptions {
  /** Passages to read sentences from. */
  passages?: number;
  /** Minimum share of the question's weighted words a top passage must contain to count as covered. */
  minCoverage?: number;
  /**
   * A passage whose note title, tags and heading share no word with the question must cover this
   * much of it instead (keeps "calories in a banana" from matching a passing mention).
   */
  offTopicCoverage?: number;
  minSentences?: number;
  maxSentences?: number;
  /** Soft limit on the quoted text, in characters. */
  maxChars?: number;
}

export const DEFAULT_ANSWERER: Required<OfflineAnswererOptions> = { passages: 4, minCoverage: 0.35, offTopicCoverage: 0.6, minSentences: 2, maxSentences: 4, maxChars: 700 };

interface Candidate {
  passage: ScoredPassage;
  passageRank: number;
  position: number;
  text: string;
  /** Share of the question's weighted words in this sentence (half for words only in its title or heading). */
  overlap: number;
  score: number;
  /** Content stems of the sentence, in order. */
  stems: string[];
  /** Content stems of its section heading. */
  heading: ReadonlySet<string>;
}

/** Sentences that lean on the one before them read badly alone. */
const LEANS_BACK = /^(?:this|that|these|those|it|its|they|their|such|so|but|however|then|here|there|both|which)\b/i;

export class OfflineAnswerer implements Answerer {
  private readonly options: Required<OfflineAnswererOptions>;

  constructor(
    private readonly retriever: ScoringRetriever,
    options: OfflineAnswererOptions = {},
  ) {
    this.options = { ...DEFAULT_ANSWERER, ...options };
  }

  async answer(query: string, options: { k?: number; userId?: string } = {}): Promise<GroundedAnswer> {
    const trimmed = query.trim();
    const passages = trimmed ? await this.retriever.searchScored(trimmed, { k: options.k ?? this.options.passages }) : [];
    const { minCoverage, offTopicCoverage } = this.options;
    const relevant = (passage: ScoredPassage) => passage.coverage >= minCoverage && (passage.headingCoverage > 0 || passage.coverage >= offTopicCoverage);
    if (!passages.slice(0, 3).some(relevant)) return this.notCovered(query, passages);

    const terms = this.retriever.queryTerms(trimmed);
    const chosen = this.pickSentences(trimmed, passages, terms);
    if (chosen.length === 0) return this.notCovered(query, passages);

    // One paragraph per passage, each ending with its citation.
    const paragraphs: string[] = [];
    const used: ScoredPassage[] = [];
    for (const candidate of chosen) {
      const index = used.indexOf(candidate.passage);
      if (index >= 0) {
        paragraphs[index] = `${paragraphs[index]} ${candidate.text}`;
      } else {
        used.push(candidate.passage);
        paragraphs.push(candidate.text);
      }
    }
    const cited = paragraphs.map((paragraph, index) => `${paragraph} [${used[index]?.noteId ?? ''}]`);
    // One source line per note, naming the sections used.
    const byNote = new Map<string, { title: string; sections: string[] }>();
    for (const passage of used) {
      const entry = byNote.get(passage.noteId) ?? { title: passage.title, sections: [] };
      entry.sections.push(passage.section);
      byNote.set(passage.noteId, entry);
    }
    const sources = [...byNote].map(([noteId, { title, sections }]) => `- [${noteId}] ${title} — ${sections.join('; ')}`);
    return {
      query,
      answer: `${cited.join('\n\n')}\n\nSources:\n${sources.join('\n')}`,
      sources: used.map(toPassage),
      covered: true,
      answeredBy: 'offline',
    };
  }

  /**
   * Scores every sentence of the top passages by the question words it contains (nudged towards
   * better-ranked passages whose heading matches). The answer is an excerpt: the best sentence and
   * the one after it (or before it, when it starts with "This ..."), then the best sentence of
   * another passage if it scores close. The first passage's best sentence leads when it matches
   * reasonably. "A vs B" / "difference between A and B" questions get the best sentence on each side.
   */
  private pickSentences(query: string, passages: readonly ScoredPassage[], terms: readonly { stem: string; weight: number }[]): Candidate[] {
    const total = terms.reduce((sum, term) => sum + term.weight, 0) || 1;
    const candidates: Candidate[] = [];
    passages.forEach((passage, passageRank) => {
      // A sentence under a heading is about the heading's topic too: its words count half.
      const topic = new Set(contentStems(`${passage.title} ${passage.section}`));
      const heading = new Set(contentStems(passage.section));
      readableSentences(passage.text).forEach((text, position) => {
        const list = contentStems(text);
        const stems = new Set(list);
        const overlap = terms.reduce((sum, term) => sum + (stems.has(term.stem) ? term.weight : topic.has(term.stem) ? term.weight / 2 : 0), 0) / total;
        const lengthPenalty = text.length < 40 ? 0.15 : text.length > 420 ? 0.1 : 0;
        const score = overlap + 0.25 * passage.headingCoverage + 0.2 / (passageRank + 1) + (position === 0 ? 0.05 : 0) - lengthPenalty;
        candidates.push({ passage, passageRank, position, text, overlap, score, stems: list, heading });
      });
    });
    const ranked = [...candidates].sort((a, b) => b.score - a.score);
    const best = ranked[0];
    if (!best) return [];
    // The search ranked whole sections (all their words, plus the embedding), which says more than
    // one sentence's word overlap: the first passage leads unless its best sentence barely matches.
    // Among the first passages, the one whose own section heading names the question best leads
    // ("choosing k" for "how do I pick k"); on a tie, a note titled after the question's words
    // ("Transformers and attention") beats one that lists them among many.
    const leadRank = leadingPassage(passages.slice(0, LEAD_POOL), terms, total, (rank) => candidates.some((candidate) => candidate.passageRank === rank && candidate.overlap > 0));
    const lead = ranked.find((candidate) => candidate.passageRank === leadRank);
    const leadOnTopic = lead !== undefined && lead.passage.headingCoverage > 0 && best.passage.headingCoverage === 0;
    const top = lead && lead.overlap > 0 && (lead.overlap >= 0.5 * best.overlap || leadOnTopic || leadRank > 0) ? lead : best;

    const { minSentences, maxSentences, maxChars } = this.options;
    const chosen: Candidate[] = [];
    let chars = 0;
    const take = (candidate: Candidate | undefined, force = false): boolean => {
      if (!candidate || chosen.includes(candidate) || chosen.length >= maxSentences) return false;
      if (!force && chars + candidate.text.length > maxChars) return false;
      chosen.push(candidate);
      chars += candidate.text.length;
      return true;
    };
    const neighbour = (candidate: Candidate, offset: number) =>
      candidates.find((other) => other.passage === candidate.passage && other.position === candidate.position + offset);
    /** The sentence plus its context: the one before when it leans back, else the one after. */
    const excerpt = (candidate: Candidate, force: boolean, withNext = true) => {
      const previous = LEANS_BACK.test(candidate.text) ? neighbour(candidate, -1) : undefined;
      if (previous) take(previous, force);
      take(candidate, force);
      // Context after the sentence: always for the main excerpt, else only when it is on topic too.
      const next = neighbour(candidate, 1);
      if (withNext && next && chosen.includes(candidate) && !previous && (force || next.overlap > 0)) take(next, chosen.length < minSentences);
    };
    const sides = comparedSides(query, terms);
    if (sides) {
      // "A vs B": the best sentence about each side, A first, each with its context when it leans back.
      const picks = sides.map((side, index) => bestForSide(candidates, side, sides[1 - index] ?? []));
      if (picks[0] && picks[1] && picks[0] !== picks[1]) {
        for (const pick of picks) excerpt(pick as Candidate, true, false);
        return chosen;
      }
    }
    excerpt(top, true);
    for (const candidate of ranked) {
      if (chosen.length >= maxSentences) break;
      if (candidate.score < top.score * 0.75) break;
      if (chosen.some((other) => other.passage === candidate.passage)) continue;
      // A passage whose title and heading share no word with the question (another sense of a word,
      // "ready" in readiness probes) does not join an answer that has an on-topic passage.
      if (candidate.passage.headingCoverage === 0 && top.passage.headingCoverage > 0) continue;
      excerpt(candidate, false);
    }
    // The leading passage first, then the rest in search order.
    const order = (candidate: Candidate) => (candidate.passage === top.passage ? -1 : candidate.passageRank);
    return chosen.sort((a, b) => order(a) - order(b) || a.position - b.position);
  }

  private notCovered(query: string, passages: readonly ScoredPassage[]): GroundedAnswer {
    const notes: ScoredPassage[] = [];
    for (const passage of passages) if (!notes.some((note) => note.noteId === passage.noteId)) notes.push(passage);
    const nearest = notes.slice(0, 3).map((passage) => `- [${passage.noteId}] ${passage.title}`);
    const answer = query.trim()
      ? nearest.length > 0
        ? `That isn't covered in the knowledge base, so I won't guess. The nearest notes are:\n${nearest.join('\n')}\nTry rephrasing with the key term, or ask about one of these.`
        : "That isn't covered in the knowledge base, and no note comes close. Try rephrasing with the key term."
      : 'Ask me a question about machine learning, e.g. "when is ROC AUC misleading?"';
    return { query, answer, sources: notes.slice(0, 3).map(toPassage), covered: false, answeredBy: 'offline' };
  }
}

/** How many of the first passages may lead the answer. */
const LEAD_POOL = 3;

/**
 * The rank of the passage that should lead: the first one unless a section of the same note has a
 * heading that carries more of the question's weight ("Choosing k" for "how do I pick k") and the
 * embedding ranks it higher too, or a
 * section of another note ties with it on the heading while its note title is clearly more about the
 * question (the share of the title's words the question names: "Transformers and attention" over a
 * title listing attention among many methods). `usable` says whether a rank has a matching sentence.
 */
export function leadingPassage(
  pool: readonly Pick<ScoredPassage, 'noteId' | 'title' | 'section' | 'denseRank'>[],
  terms: readonly { stem: string; weight: number }[],
  total: number,
  usable: (rank: number) => boolean = () => true,
): number {
  const weights = new Map(terms.map((term) => [term.stem, term.weight]));
  const headingShare = (section: string) => [...new Set(contentStems(section))].reduce((sum, term) => sum + (weights.get(term) ?? 0), 0) / (total || 1);
  const titleFocus = (title: string) => {
    const stems = [...new Set(contentStems(title))];
    return stems.length > 0 ? stems.filter((term) => weights.has(term)).length / stems.length : 0;
  };
  const first = pool[0];
  if (!first) return 0;
  let leadRank = 0;
  let leadHeading = headingShare(first.section);
  const firstFocus = titleFocus(first.title);
  pool.forEach((passage, rank) => {
    if (rank === 0 || !usable(rank)) return;
    const share = headingShare(passage.section);
    // The search chose the note; a sibling section whose heading names the question better leads,
    // when the embedding agrees (it ranks the sibling above the first passage).
    const denseAgrees = passage.denseRank !== undefined && (first.denseRank === undefined || passage.denseRank < first.denseRank);
    const better = passage.noteId === first.noteId && denseAgrees && share > leadHeading + 1e-9;
    // A tie goes to a clearly more focused title of another note, and only against the first passage.
    const focused = leadRank === 0 && Math.abs(share - leadHeading) <= 1e-9 && share > 0 && passage.noteId !== first.noteId && titleFocus(passage.title) >= 2 * firstFocus && titleFocus(passage.title) > firstFocus;
    if (better || focused) {
      leadRank = rank;
      leadHeading = share;
    }
  });
  return leadRank;
}

/** "difference between A and B", "A vs B", "A or B", "how does A differ from B". */
const COMPARISON = [
  /\b(?:difference|differences|diff|distinguish|compare|comparing|comparison)\s+(?:between\s+|of\s+)?(.+?)\s+(?:and|vs\.?|versus|with|to|from)\s+(.+)$/i,
  /^(.+?)\s+(?:vs\.?|versus|compared (?:to|with)|differ(?:s|ent)? from|or)\s+(.+)$/i,
];

/**
 * The two sides of a comparison question, as the query's stems that belong to one side only, or
 * undefined when the question does not compare two things.
 */
export function comparedSides(query: string, terms: readonly { stem: string; weight: number }[]): [string[], string[]] | undefined {
  const known = new Set(terms.map((term) => term.stem));
  const text = query.replace(/[?!.]+\s*$/, '');
  for (const pattern of COMPARISON) {
    const match = pattern.exec(text);
    if (!match) continue;
    // The right side ends at a trailing clause ("... for imbalanced data", "..., which one").
    const right = (match[2] ?? '').split(/\s*(?:,|\bfor\b|\bwhen\b|\bwhich\b|\bin\b)\s*/i)[0] ?? '';
    const a = new Set(contentStems(match[1] ?? '').filter((term) => known.has(term)));
    const b = new Set(contentStems(right).filter((term) => known.has(term)));
    const onlyA = [...a].filter((term) => !b.has(term));
    const onlyB = [...b].filter((term) => !a.has(term));
    // Each side names one thing in a word or two; a longer left side is the rest of the question.
    const side = (list: string[]) => list.slice(-2);
    if (onlyA.length > 0 && onlyB.length > 0) return [side(onlyA), side(onlyB)];
  }
  return undefined;
}

/** Defining sentences start with their subject: "Precision is ...", "L1 regularisation (lasso) adds ...". */
function bestForSide(candidates: readonly Candidate[], side: readonly string[], other: readonly string[]): Candidate | undefined {
  let best: Candidate | undefined;
  let bestScore = 0;
  for (const candidate of candidates) {
    const stems = candidate.stems;
    const share = side.filter((term) => stems.includes(term)).length / side.length;
    if (share === 0) continue;
    const present = new Set(stems);
    const heading = candidate.heading;
    const leading = stems.slice(0, 3).some((term) => side.includes(term));
    const sideInHeading = side.some((term) => heading.has(term));
    // A heading that names both sides ("Q-learning and SARSA") is the comparison itself, not the other side's section.
    const otherInHeading = other.some((term) => heading.has(term));
    const score =
      share +
      (sideInHeading ? 0.4 : 0) -
      (otherInHeading && !sideInHeading ? 0.2 : 0) -
      (other.some((term) => present.has(term)) ? 0.15 : 0) +
      (leading ? 0.2 : 0) +
      (candidate.position === 0 ? 0.1 : 0) +
      0.3 * candidate.overlap +
      0.15 / (candidate.passageRank + 1) -
      (candidate.text.length < 40 ? 0.3 : candidate.text.length > 420 ? 0.2 : 0);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function toPassage({ id, noteId, title, section, area, path, text, score }: ScoredPassage): Passage {
  return { id, noteId, title, section, area, path, text, score };
}
