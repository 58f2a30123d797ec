/** A value that claims to be a GS1 identifier (EPC URN or GS1 Digital Link) but is not a valid one. */
export class IdentifierError extends Error {
  override readonly name = 'IdentifierError';

  constructor(
    message: string,
    readonly identifier?: string,
  ) {
    super(message);
  }
}
