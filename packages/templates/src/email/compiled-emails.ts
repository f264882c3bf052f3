/**
 * How a hole's value becomes HTML, the way the React templates write it:
 * - `text`: escaped, as React escapes text and attribute values;
 * - `broken`: `breakLongWords` first, then escaped (the templates break alert text for 320 px phones);
 * - `preview`: React Email's `<Preview>`: cut to 150 characters, escaped, padded with invisible
 *   characters to 150 so that clients show no body text after it;
 * - `raw`: HTML filled from other compiled templates (a digest's rows), put in as it is.
 */
export type HoleKind = 'text' | 'broken' | 'preview' | 'raw';

/** The alert emails, rendered once per shape with holes (see email-holes.ts and src/compile). */
export interface CompiledEmails {
  /** The packages whose output this is: another version may write other bytes (the identity test says). */
  versions: Record<string, string>;
  /** A hash of the sources it was compiled from (`compileInputsHash`): `pnpm build` compiles again when they change. */
  inputs: string;
  /** Static HTML, each piece stored once: most pieces recur in many shapes. */
  chunks: string[];
  /** The holes, as `kind:name` (`broken:title`, `text:url`). */
  holes: string[];
  /** Shape (`emailShapeOf`) to its parts in order: `n >= 0` is `chunks[n]`, `n < 0` is `holes[-n - 1]`. */
  shapes: Record<string, number[]>;
  /** A storm digest's email: its page (`digestPageShapeOf`) and the row of one alert (`digestRowShapeOf`). */
  digest: { pages: Record<string, number[]>; rows: Record<string, number[]> };
}
