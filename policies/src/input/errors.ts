/**
 * A document the normalizers cannot turn into a policy input: one sentence naming the file, what is
 * wrong and how to fix it. Callers show the message as it is (the CLI wraps it in its own error,
 * exit 2), as they do for the bundle loader's errors.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}
