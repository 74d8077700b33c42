/** What bench/load.mjs takes and prints. */
export interface LoadPlan {
  url: string;
  method: 'GET' | 'POST';
  seconds: number;
  connections: number;
  /** Offered requests per second across all connections (open model); none = as fast as possible. */
  rate?: number;
  /** Rotated per request: JSON bodies, or cookie headers. */
  bodies?: string[];
  cookies?: string[];
  /** Each cookie is used for this many consecutive requests (a page view makes several checks). */
  repeatEach?: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}
