/** A caller of the sandbox's control surface passed something unusable (answered 400 over HTTP). */
export class SandboxInputError extends Error {
  override readonly name = 'SandboxInputError';
}
