/**
 * The request-latency histogram (`mamori_http_request_duration_seconds{method,route,status}`),
 * observed on every request. prom-client's Histogram validates the label set and builds a key
 * string from it on each observation; that was 4 % of a cached session check, the request the
 * trading service makes most (docs/performance.md). Here the series is found through three maps
 * keyed by the label values as they come, and the scrape gives the same lines prom-client's own
 * histogram gives (the registry formats both; test/unit/observability/request-latency.test.ts).
 */
interface Series {
  labels: { method: string; route: string; status: string };
  /** Per bucket, not cumulative; the last one is above every bound (+Inf). */
  counts: number[];
  sum: number;
  count: number;
}

interface Value {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
}

export class RequestLatency {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private series = new Map<string, Map<string, Map<number, Series>>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  observe(method: string, route: string, status: number, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    let byRoute = this.series.get(method);
    if (byRoute === undefined) this.series.set(method, (byRoute = new Map()));
    let byStatus = byRoute.get(route);
    if (byStatus === undefined) byRoute.set(route, (byStatus = new Map()));
    let s = byStatus.get(status);
    if (s === undefined) {
      s = { labels: { method, route, status: String(status) }, counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
      byStatus.set(status, s);
    }
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    s.counts[i]! += 1;
    s.sum += seconds;
    s.count += 1;
  }

  /** What prom-client's registry asks a metric for when it writes the text format. */
  async getForPromString(): Promise<{ name: string; help: string; type: string; values: Value[]; aggregator: string }> {
    const values: Value[] = [];
    for (const byRoute of this.series.values())
      for (const byStatus of byRoute.values())
        for (const s of byStatus.values()) {
          let acc = 0;
          this.bounds.forEach((le, i) => {
            acc += s.counts[i]!;
            values.push({ labels: { le }, sharedLabels: s.labels, value: acc, metricName: `${this.name}_bucket` });
          });
          values.push(
            { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_bucket` },
            { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` },
            { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` },
          );
        }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** The JSON form (registry.getMetricsAsJSON): the series' labels merged into each value's. */
  async get(): Promise<{ name: string; help: string; type: string; values: { labels: Record<string, string | number>; value: number; metricName: string }[]; aggregator: string }> {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map(({ labels, sharedLabels, ...v }) => ({ ...v, labels: { ...labels, ...sharedLabels } })) };
  }

  reset(): void {
    this.series = new Map();
  }
}
