/** The part of autocannon's API the analyze-release benchmark uses (it ships no types). */
declare module 'autocannon' {
  interface Stats {
    average: number;
    total: number;
    p50: number;
    p97_5: number;
    p99: number;
  }
  interface Result {
    latency: Stats;
    requests: Stats;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    overallRate?: number;
    /** Requests in flight per connection (1, its default: no pipelining). */
    pipelining?: number;
  }
  export default function autocannon(options: Options): Promise<Result>;
}
