/** A fresh Prometheus registry with a counter in it, as most registry tests begin. */
import { Counter } from '../../src/prometheus/counter.js';
import { Registry } from '../../src/prometheus/registry.js';

/** A new registry and a counter `name` registered in it, labelled by `labelNames`. */
export function registryWithCounter<L extends string>(
  name: string,
  help: string,
  labelNames: L[],
): { registry: Registry; counter: Counter<L> } {
  const registry = new Registry();
  return { registry, counter: new Counter({ name, help, labelNames, registry }) };
}
