import { randomBytes, randomInt } from 'node:crypto';
/** A CSPRNG, as the token and key generators need it (the domain's Random port has this shape). */
export interface RandomSource {
  bytes(length: number): Buffer;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

/** The operating system's CSPRNG; tests may substitute their own. */
export const cryptoRandom: RandomSource = {
  bytes: (length) => randomBytes(length),
  int: (maxExclusive) => randomInt(maxExclusive),
};
