// Scoring, the write side: recompute, freeze, explain, tier thresholds. Every read of scores
// (ranking, a unit's score, the API, the report model) is in ./scores.ts.
export { recomputeAll, recomputePeriods, type RecomputeResult } from "../scoring/compute.ts";
export { freezePeriod, type FrozenSettings } from "../scoring/freeze.ts";
export { explainScore, type LostPoints, type ScoreExplanation } from "../scoring/explain.ts";
export type { FindingEvidence } from "../scoring/evidence.ts";
export { ScoringError } from "../scoring/errors.ts";
export { getTierThresholds, setTierThresholds, DEFAULT_TIER_THRESHOLDS, type TierThreshold } from "../scoring/tiers.ts";
export { GROUP_LABELS, CRITERION_GROUPS } from "../scoring/measure.ts";
