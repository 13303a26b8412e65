import { describe, expect, it } from 'vitest';
import { cleanToolSchema, MAX_SCHEMA_NODES } from '../../../src/translate/cleanToolSchema.js';
import { codexSubsetProblem, toolSchemaProblem } from '../../fakes/codexBackendRules.js';

// Property test: any schema Anthropic accepts as `input_schema` (a JSON Schema whose top level is
// `type:"object"`; everything below may use the whole vocabulary) comes out of cleanToolSchema as one the
// backend accepts and inside codex's keyword subset. A small seeded generator, so a failure names its seed.

/** mulberry32: tiny, seedable, good enough to spread cases. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = Record<string, unknown>;

function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number) => r() < p;
  const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;
  const FORMATS = ['uri', 'email', 'date-time', 'uri-reference', 'regex', 'uuid', 'binary'];
  const DEFS = ['a', 'b', 'c'];
  const name = () => pick(['path', 'tags', 'items', 'q', 'mode', 'n', 'opts', '__proto__', 'constructor', 'x y']);

  function schema(depth: number): unknown {
    if (chance(0.05)) return pick([true, false]);
    const s: Json = {};
    if (chance(0.7)) s.type = chance(0.2) ? [pick(TYPES), pick(TYPES)] : pick(TYPES);
    const t = Array.isArray(s.type) ? s.type[0] : s.type;
    if (chance(0.3)) s.description = 'd';
    if (chance(0.1)) s.title = 'T';
    if (chance(0.1)) s.default = null;
    if (chance(0.1)) s.examples = [1];
    if (chance(0.05)) s.$id = 'not a uri';
    if (chance(0.05)) s.nullable = true;
    if (t === 'string' || chance(0.05)) {
      if (chance(0.3)) s.format = pick(FORMATS);
      if (chance(0.2)) s.pattern = pick(['^\\p{L}+$', '^[a-z]+$']);
      if (chance(0.1)) s.minLength = 1;
    }
    if (t === 'number' || t === 'integer' || chance(0.05)) {
      if (chance(0.3)) s.minimum = 0;
      if (chance(0.2)) s.exclusiveMaximum = 10;
      if (chance(0.1)) s.multipleOf = 2;
    }
    if (chance(0.15)) s.enum = pick([['a', 'b'], [1, 2.5], [true], [null, 'x'], []]);
    if (chance(0.1)) s.const = pick(['k', 3, false, null, { o: 1 }]);
    if (depth > 0) {
      if (t === 'object' || chance(0.15)) {
        if (chance(0.8)) {
          const props: Json = {};
          for (let i = Math.floor(r() * 4); i > 0; i--)
            Object.defineProperty(props, name(), {
              value: schema(depth - 1),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          s.properties = props;
        }
        if (chance(0.4)) s.required = chance(0.8) ? [name(), name()] : ['ghost'];
        if (chance(0.3)) s.additionalProperties = chance(0.5) ? chance(0.5) : schema(depth - 1);
        if (chance(0.1)) s.patternProperties = { '^x': schema(depth - 1) };
      }
      if (t === 'array' || chance(0.1)) {
        // Anthropic accepts an array without items (MCP servers send it); that is the case that broke sessions.
        const form = r();
        if (form < 0.35) s.items = schema(depth - 1);
        else if (form < 0.5) s.items = [schema(depth - 1), schema(depth - 1)];
        else if (form < 0.6) s.prefixItems = [schema(depth - 1)];
        else if (form < 0.65) s.items = pick([true, false]);
        if (chance(0.2)) s.minItems = 1;
        if (chance(0.1)) s.uniqueItems = true;
      }
      for (const k of ['anyOf', 'oneOf', 'allOf'] as const)
        if (chance(0.08))
          s[k] = Array.from({ length: Math.floor(r() * 3) + (chance(0.1) ? 0 : 1) }, () => schema(depth - 1));
      if (chance(0.05)) s.not = schema(depth - 1);
      if (chance(0.05)) s.if = schema(depth - 1);
      if (chance(0.1))
        s.$ref = pick([...DEFS.map((d) => `#/$defs/${d}`), '#', '#/definitions/missing', 'https://x.test/s.json']);
    }
    return s;
  }

  function top(): Json {
    const maxDepth = Math.floor(r() * 6) + 1;
    const root: Json = { type: 'object' };
    if (chance(0.3)) root.$schema = 'https://json-schema.org/draft/2020-12/schema';
    if (chance(0.9)) {
      const props: Json = {};
      for (let i = Math.floor(r() * 6); i > 0; i--) props[`p${i}`] = schema(maxDepth);
      root.properties = props;
    }
    if (chance(0.3)) root.required = ['p1', 'p2'];
    if (chance(0.3)) root.additionalProperties = chance(0.5) ? false : schema(2);
    if (chance(0.4)) root.$defs = Object.fromEntries(DEFS.map((d) => [d, schema(maxDepth)]));
    for (const k of ['anyOf', 'oneOf', 'allOf'] as const)
      if (chance(0.07)) root[k] = [schema(2), { type: 'object', properties: { z: schema(1) } }];
    if (chance(0.05)) root.not = { required: ['x'] };
    return root;
  }
  return top;
}

function countNodes(node: unknown): number {
  if (typeof node !== 'object' || node === null) return 0;
  let n = 1;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties') for (const sub of Object.values(v as object)) n += countNodes(sub);
    else if (k === 'anyOf') for (const sub of v as unknown[]) n += countNodes(sub);
    else if (k === 'items' || k === 'additionalProperties') n += countNodes(v);
  }
  return n;
}

describe('cleanToolSchema, property: every Anthropic-valid schema comes out as one the backend accepts', () => {
  it('3000 generated schemas: none refused, all within codex’s subset', () => {
    let refusedRaw = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const raw = generator(seed)();
      if (toolSchemaProblem(raw)) refusedRaw++;
      const cleaned = cleanToolSchema(raw);
      expect(toolSchemaProblem(cleaned), `seed ${seed}: ${JSON.stringify(raw)}`).toBeNull();
      expect(codexSubsetProblem(cleaned), `seed ${seed}`).toBeNull();
      expect(JSON.parse(JSON.stringify(cleaned)), `seed ${seed}: survives JSON`).toEqual(cleaned);
    }
    // The generator must produce schemas the backend refuses as they are, or the property proves nothing.
    expect(refusedRaw).toBeGreaterThan(1000);
  });

  it('bounds depth: a 20000-level schema cleans without overflowing the stack', () => {
    let deep: Json = { type: 'string' };
    for (let i = 0; i < 20_000; i++) deep = { type: 'array', items: deep };
    const cleaned = cleanToolSchema({ type: 'object', properties: { deep } });
    expect(toolSchemaProblem(cleaned)).toBeNull();
    expect(JSON.stringify(cleaned).length).toBeLessThan(5000);
  });

  it('bounds size: $refs that fan out (no cycle) cannot expand exponentially', () => {
    const $defs: Json = { d0: { type: 'string' } };
    for (let i = 1; i <= 30; i++)
      $defs[`d${i}`] = {
        type: 'object',
        properties: Object.fromEntries(['l', 'r', 'u', 'v'].map((k) => [k, { $ref: `#/$defs/d${i - 1}` }])),
      };
    const started = Date.now();
    const cleaned = cleanToolSchema({ type: 'object', $defs, properties: { root: { $ref: '#/$defs/d30' } } });
    expect(Date.now() - started).toBeLessThan(2000);
    // 4^30 nodes if expanded; the budget stops it, past it every pending child is a one-node stand-in.
    expect(countNodes(cleaned)).toBeLessThanOrEqual(4 * MAX_SCHEMA_NODES);
    expect(toolSchemaProblem(cleaned)).toBeNull();
  });

  it('self-referencing allOf and anyOf wrappers terminate', () => {
    const cleaned = cleanToolSchema({
      type: 'object',
      $defs: { a: { allOf: [{ $ref: '#/$defs/a' }] }, b: { anyOf: [{ $ref: '#/$defs/b' }] } },
      properties: { a: { $ref: '#/$defs/a' }, b: { $ref: '#/$defs/b' }, c: { allOf: [{ $ref: '#' }] } },
    });
    expect(toolSchemaProblem(cleaned)).toBeNull();
    expect(codexSubsetProblem(cleaned)).toBeNull();
  });
});
