// autocannon (a devDependency) ships no types: this is the part of its API the status benchmark uses.
import { createRequire } from 'node:module';

export interface AutocannonResult {
	requests: { average: number; total: number };
	latency: { p50: number; p99: number; average: number };
	throughput: { total: number };
	errors: number;
	timeouts: number;
	statusCodeStats: Record<string, { count: number }>;
}
export interface AutocannonInstance extends PromiseLike<AutocannonResult> {
	stop(): void;
}
export const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
	url: string;
	connections: number;
	duration: number;
	headers?: Record<string, string>;
	overallRate?: number;
}) => AutocannonInstance;
