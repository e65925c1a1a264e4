/** Knowledge areas: each is a folder under knowledge/notes and a file under knowledge/questions. */
export const AREAS = [
  'math',
  'probability-statistics',
  'ab-testing',
  'classic-ml',
  'ensembles',
  'algorithms-data-structures',
  'ml-from-scratch',
  'python-data',
  'deep-learning-frameworks',
  'data-preparation',
  'evaluation-metrics',
  'deep-learning',
  'reinforcement-learning',
  'ml-system-design',
  'mlops',
  'monitoring-drift',
  'infrastructure',
  'interpretability-ethics',
  'communication-behavioral',
] as const;

export type Area = (typeof AREAS)[number];

/** The four interview tracks group areas; every area is also a track of its own by its slug. */
export const TRACKS: Readonly<Record<string, readonly Area[]>> = {
  algorithms: ['classic-ml', 'ensembles', 'algorithms-data-structures', 'ml-from-scratch'],
  'system-design': ['ml-system-design'],
  metrics: ['evaluation-metrics'],
  mlops: ['mlops', 'monitoring-drift', 'infrastructure'],
};

export const LEVELS = ['easy', 'medium', 'hard'] as const;
export type Level = (typeof LEVELS)[number];

export const DESIGN_PHASES = ['clarify', 'metrics', 'data', 'model', 'serving', 'monitoring'] as const;
export type DesignPhase = (typeof DESIGN_PHASES)[number];

export function areasForTrack(track: string): readonly Area[] | undefined {
  const grouped = TRACKS[track];
  if (grouped) return grouped;
  return (AREAS as readonly string[]).includes(track) ? [track as Area] : undefined;
}

export function trackNames(): string[] {
  return [...Object.keys(TRACKS), ...AREAS.filter((area) => !Object.values(TRACKS).some((areas) => areas.length > 1 && areas.includes(area)) && !Object.keys(TRACKS).includes(area))];
}
