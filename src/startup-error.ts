/** A reason firebell cannot start that the operator can fix: said in one line, without a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}
