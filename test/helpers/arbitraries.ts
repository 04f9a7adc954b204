import fc from 'fast-check';

/**
 * Text of up to `maxLength` of `pieces` joined: what the equivalence tests feed a pattern and the
 * code that stands for it, made of the characters and words where the two could part.
 */
export function textOf(pieces: readonly string[], maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...pieces), { maxLength }).map((p) => p.join(''));
}
