/** Character set of one AI component, as named by the GS1 Barcode Syntax Dictionary. */
export type AiCharacterSet = 'N' | 'X' | 'Y' | 'Z';

/** One component of an AI's format specification, e.g. `N13,csum,gcppos1` or `[X..17]`. */
export interface AiComponentSpec {
  /** N: digits, X: GS1 AI encodable character set 82, Y: character set 39, Z: base64url (set 64). */
  readonly cset: AiCharacterSet;
  readonly min: number;
  readonly max: number;
  /** Written in brackets: may be left out once the data is exhausted. */
  readonly optional: boolean;
  /** Names of the dictionary's linter procedures applied to this component. */
  readonly linters: readonly string[];
}

/** One dictionary line: a single AI or a range of AIs sharing one definition. */
export interface AiTableEntry {
  readonly first: string;
  readonly last: string;
  /** Flag `*`: pre-defined length AI, no FNC1 separator needed. */
  readonly fixedLength: boolean;
  /** Flag `?`: permitted as a GS1 Digital Link data attribute (query parameter). */
  readonly dlAttribute: boolean;
  readonly components: readonly AiComponentSpec[];
  /**
   * `dlpkey` attribute: null when the AI is not a Digital Link primary key, otherwise the
   * alternative ordered qualifier sequences (`[[]]` for a primary key without qualifiers).
   */
  readonly dlPrimaryKey: readonly (readonly string[])[] | null;
  /** Each `req=` attribute: one of the listed AI groups (e.g. `01+21`) is mandatory. */
  readonly req: readonly (readonly string[])[];
  /** `ex=` attributes: AIs or patterns (e.g. `310n`) that must not be paired with this AI. */
  readonly ex: readonly string[];
  readonly title: string;
}
