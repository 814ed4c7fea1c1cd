/**
 * Errors raised by Baseplate constructs. Every message says what is wrong, where
 * (the construct path) and how to fix it, so a failing synth is actionable.
 */
export class BaselineError extends Error {
  /** Construct path of the offending construct, e.g. `payments-api-prod/invoices`. */
  readonly constructPath: string;
  /** What to change. */
  readonly fix: string;

  constructor(constructPath: string, problem: string, fix: string) {
    super(`${constructPath}: ${problem}. Fix: ${fix}`);
    this.name = "BaselineError";
    this.constructPath = constructPath;
    this.fix = fix;
  }
}
