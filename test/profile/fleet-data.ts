/** The recipes of scripts/gen-fleet-ks-fixtures.py (`draw`), on PyRandom: the same values. */
import { PyRandom } from '../../src/stats/random.js';

export interface DrawSpec {
  dist: string;
  n: number;
  params: number[];
}

function normal(rng: PyRandom, mu: number, sigma: number): number {
  const u1 = rng.random();
  const u2 = rng.random();
  return mu + sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

export function draw(rng: PyRandom, spec: DrawSpec): number[] {
  const p = spec.params as [number, number, number];
  const out: number[] = [];
  for (let i = 0; i < spec.n; i++) {
    let x: number;
    switch (spec.dist) {
      case 'normal':
        x = normal(rng, p[0], p[1]);
        break;
      case 'lognormal':
        x = Math.exp(normal(rng, p[0], p[1]));
        break;
      case 'exp':
        x = -Math.log(1 - rng.random()) * p[0];
        break;
      case 'uniform':
        x = p[0] + (p[1] - p[0]) * rng.random();
        break;
      case 'pareto':
        x = p[1] * (1 - rng.random()) ** (-1 / p[0]);
        break;
      case 'zeroinf': {
        const u = rng.random();
        const z = normal(rng, p[1], p[2]);
        x = u < p[0] ? 0 : z;
        break;
      }
      case 'poisson-ish':
        x = Math.floor(-Math.log(1 - rng.random()) * p[0]);
        break;
      default:
        throw new Error(`unknown dist ${spec.dist}`);
    }
    out.push(x);
  }
  return out;
}

export { PyRandom };
