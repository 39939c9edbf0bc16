// Type-level tests of the public conditional types. `npm run typecheck`
// (tsc over test/) fails when one of these assertions stops holding; the
// runtime part of expectTypeOf is a no-op.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  DetectResult,
  DriftDetector,
  DriftResult,
  EngineApi,
  TableDriftResult,
} from '../../src/index.js';
import type { AsyncApi } from '../../src/entry/engine.js';

describe('DetectResult<R>', () => {
  it('is one DriftResult for a single feature, whatever its value type', () => {
    expectTypeOf<DetectResult<number[]>>().toEqualTypeOf<DriftResult>();
    expectTypeOf<DetectResult<Float64Array>>().toEqualTypeOf<DriftResult>();
    expectTypeOf<DetectResult<Float32Array>>().toEqualTypeOf<DriftResult>();
    expectTypeOf<DetectResult<string[]>>().toEqualTypeOf<DriftResult>();
    expectTypeOf<DetectResult<readonly (string | null)[]>>().toEqualTypeOf<DriftResult>();
  });

  it('is a TableDriftResult for a table', () => {
    expectTypeOf<DetectResult<Record<string, number[]>>>().toEqualTypeOf<TableDriftResult>();
    expectTypeOf<DetectResult<{ age: Float64Array; city: string[] }>>().toEqualTypeOf<TableDriftResult>();
    expectTypeOf<DetectResult<number[]>>().not.toEqualTypeOf<TableDriftResult>();
  });

  it('follows the reference type through DriftDetector.detect', () => {
    type DetectOf<R> = R extends DriftDetector<infer D> ? Awaited<ReturnType<DriftDetector<D>['detect']>> : never;
    expectTypeOf<DetectOf<DriftDetector<Float64Array>>>().toEqualTypeOf<DriftResult>();
    expectTypeOf<DetectOf<DriftDetector<Record<string, number[]>>>>().toEqualTypeOf<TableDriftResult>();
    expectTypeOf<DriftDetector<number[]>['detect']>().parameter(0).toEqualTypeOf<number[]>();
  });
});

describe('AsyncApi<T>', () => {
  interface Service {
    add(a: number, b: number): number;
    load(id: string): Promise<Uint8Array>;
    nested: { depth(): boolean; deeper: { name(): string } };
    readonly count: number;
    label: string;
  }
  type Api = AsyncApi<Service>;

  it('makes every method awaited with the same parameters, never a nested Promise', () => {
    expectTypeOf<Api['add']>().toEqualTypeOf<(a: number, b: number) => Promise<number>>();
    expectTypeOf<Api['load']>().toEqualTypeOf<(id: string) => Promise<Uint8Array>>();
    expectTypeOf<Api['add']>().parameters.toEqualTypeOf<[number, number]>();
  });

  it('recurses into nested objects (path calls such as api.sketches.record)', () => {
    expectTypeOf<Api['nested']['depth']>().toEqualTypeOf<() => Promise<boolean>>();
    expectTypeOf<Api['nested']['deeper']['name']>().toEqualTypeOf<() => Promise<string>>();
  });

  it('drops plain data properties, which a remote cannot read', () => {
    expectTypeOf<keyof Api>().toEqualTypeOf<'add' | 'load' | 'nested'>();
  });

  it('types the engine surface: sketch calls return Promises of the engine results', () => {
    expectTypeOf<EngineApi['sketches']['create']>().returns.toExtend<Promise<number>>();
    expectTypeOf<EngineApi>().not.toHaveProperty('kernel');
  });
});
