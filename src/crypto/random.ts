import { randomBytes, randomInt } from 'node:crypto';
import type { Random } from '../domain/ports';

/** The operating system's CSPRNG; tests may substitute their own Random. */
export const cryptoRandom: Random = {
  bytes: (length) => randomBytes(length),
  int: (maxExclusive) => randomInt(maxExclusive),
};
