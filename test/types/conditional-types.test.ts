// Type-level tests of the public conditional types. `npm run typecheck`
// (tsc over test/) fails when one of these assertions stops holding; the
// runtime part of expectTypeOf is a no-op.
import { describe, expectTypeOf, it } from 'vitest';
import type * as ew from '../../src/index.js';
import type { AsyncApi } from '../../src/entry/engine.js';

describe('DetectResult<R>', () => {
  it('is one DriftResult for a single feature, whatever its value type', () => {
    expectTypeOf<ew.DetectResult<number[]>>().toEqualTypeOf<ew.DriftResult>();
    expectTypeOf<ew.DetectResult<Float64Array>>().toEqualTypeOf<ew.DriftResult>();
    expectTypeOf<ew.DetectResult<Float32Array>>().toEqualTypeOf<ew.DriftResult>();
    expectTypeOf<ew.DetectResult<string[]>>().toEqualTypeOf<ew.DriftResult>();
    expectTypeOf<ew.DetectResult<readonly (string | null)[]>>().toEqualTypeOf<ew.DriftResult>();
  });

  it('is a TableDriftResult for a table', () => {
    expectTypeOf<ew.DetectResult<Record<string, number[]>>>().toEqualTypeOf<ew.TableDriftResult>();
    expectTypeOf<
      ew.DetectResult<{ age: Float64Array; city: string[] }>
    >().toEqualTypeOf<ew.TableDriftResult>();
    expectTypeOf<ew.DetectResult<number[]>>().not.toEqualTypeOf<ew.TableDriftResult>();
  });

  it('follows the reference type through DriftDetector.detect', () => {
    type DetectOf<R> =
      R extends ew.DriftDetector<infer D>
        ? Awaited<ReturnType<ew.DriftDetector<D>['detect']>>
        : never;
    expectTypeOf<DetectOf<ew.DriftDetector<Float64Array>>>().toEqualTypeOf<ew.DriftResult>();
    expectTypeOf<
      DetectOf<ew.DriftDetector<Record<string, number[]>>>
    >().toEqualTypeOf<ew.TableDriftResult>();
    expectTypeOf<ew.DriftDetector<number[]>['detect']>().parameter(0).toEqualTypeOf<number[]>();
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
    expectTypeOf<ew.EngineApi['sketches']['create']>().returns.toExtend<Promise<number>>();
    expectTypeOf<ew.EngineApi>().not.toHaveProperty('kernel');
  });
});
