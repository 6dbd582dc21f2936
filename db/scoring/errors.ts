/** A scoring operation refused for a reason the user can understand (message in Vietnamese). */
export class ScoringError extends Error {
  constructor(
    public readonly code:
      | "not_found"
      | "forbidden"
      | "invalid"
      | "frozen"
      | "conflict"
      | "no_rubric",
    message: string,
  ) {
    super(message);
    this.name = "ScoringError";
  }
}
