/** What the risk rules need from storage (implemented in src/store/repositories/country-exceptions.ts). */
export interface CountryException {
  country: string;
  expiresAt: Date;
  operator: string;
  reason: string;
  createdAt: Date;
}

export interface CountryExceptionRepo {
  /** The countries this account may log in from besides ALLOWED_COUNTRIES, now. */
  liveCountries(accountId: number, now: Date): Promise<string[]>;
  listForAccount(accountId: number): Promise<CountryException[]>;
  /** Grants or extends one country for one account. */
  put(accountId: number, e: CountryException): Promise<void>;
  /** True when there was one to remove. */
  remove(accountId: number, country: string): Promise<boolean>;
}

/** Distinct members (login IDs) per source and fixed window, each change one atomic statement. */
export interface RiskCounterRepo {
  /** Adds `member` to the source's window: the count after it when it was new, null when already counted. */
  addDistinct(source: string, windowNumber: number, member: string): Promise<number | null>;
  count(source: string, windowNumber: number): Promise<number>;
  /** Deletes every window before `windowNumber`. */
  dropBefore(windowNumber: number): Promise<void>;
}
