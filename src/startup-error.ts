/** A reason firebell cannot start that the operator can fix: said in one line, without a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';

  /** 1 by default; 2 when the configuration is what is wrong (as for a bad variable). */
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
