import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanToolSchema } from '../../../src/translate/cleanToolSchema.js';
import { codexSubsetProblem } from '../../fakes/codexBackendRules.js';

/** Every schema node uses only codex's subset of keywords. */
const assertSubset = (node: unknown) => expect(codexSubsetProblem(node)).toBeNull();

describe('cleanToolSchema', () => {
  it('keeps only codex’s keyword subset for every tool Claude Code sends', () => {
    const body = JSON.parse(
      readFileSync(new URL('../../fixtures/claude-code/first-turn.json', import.meta.url), 'utf8'),
    ).body;
    for (const tool of body.tools) {
      const cleaned = cleanToolSchema(tool.input_schema);
      assertSubset(cleaned);
      expect(cleaned.type).toBe('object');
      expect(cleaned.properties).toBeTypeOf('object');
    }
  });

  it('drops $schema, formats, \\p{} patterns, bounds and defaults; keeps descriptions, enums, required', () => {
    expect(
      cleanToolSchema({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: {
          url: { type: 'string', format: 'uri', description: 'where' },
          when: { type: 'string', format: 'date-time' },
          name: { type: 'string', pattern: '^\\p{L}+$', minLength: 1 },
          n: { type: 'number', exclusiveMinimum: 0, maximum: 9, default: 3 },
          mode: { type: 'string', enum: ['a', 'b'] },
        },
        required: ['url', 'ghost'],
      }),
    ).toEqual({
      type: 'object',
      properties: {
        url: { type: 'string', description: 'where' },
        when: { type: 'string' },
        name: { type: 'string' },
        n: { type: 'number' },
        mode: { type: 'string', enum: ['a', 'b'] },
      },
      required: ['url'],
      additionalProperties: false,
    });
  });

  it('gives objects without properties an empty map, and a non-object top level becomes an empty object', () => {
    expect(cleanToolSchema({ type: 'object' })).toEqual({ type: 'object', properties: {} });
    expect(cleanToolSchema({ type: 'object', properties: { o: { type: 'object' } } })).toEqual({
      type: 'object',
      properties: { o: { type: 'object', properties: {} } },
    });
    expect(cleanToolSchema(undefined)).toEqual({ type: 'object', properties: {} });
    expect(cleanToolSchema({ type: 'string' })).toEqual({ type: 'object', properties: {} });
  });

  it('merges allOf, turns oneOf into anyOf and const into enum, infers missing types', () => {
    expect(
      cleanToolSchema({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { const: 'fixed' } }, required: ['b'] },
        ],
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string', enum: ['fixed'] } },
      required: ['a', 'b'],
    });
    expect(
      cleanToolSchema({
        type: 'object',
        properties: { v: { oneOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }] } },
      }).properties,
    ).toEqual({
      v: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    });
    expect(cleanToolSchema({ type: 'object', properties: { l: { items: { enum: [1, 2] } } } }).properties).toEqual({
      l: { type: 'array', items: { type: 'integer', enum: [1, 2] } },
    });
  });

  it('splits type arrays into anyOf and drops null from them', () => {
    expect(
      cleanToolSchema({
        type: 'object',
        properties: { a: { type: ['string', 'null'] }, b: { type: ['string', 'number'], description: 'x' } },
      }).properties,
    ).toEqual({
      a: { type: 'string' },
      b: {
        description: 'x',
        anyOf: [
          { type: 'string', description: 'x' },
          { type: 'number', description: 'x' },
        ],
      },
    });
  });

  it('inlines local $refs and stops on cycles', () => {
    const cleaned = cleanToolSchema({
      type: 'object',
      $defs: {
        node: {
          type: 'object',
          properties: { child: { $ref: '#/$defs/node' }, label: { $ref: '#/definitions/label' } },
        },
      },
      definitions: { label: { type: 'string', format: 'email' } },
      properties: { root: { $ref: '#/$defs/node' }, remote: { $ref: 'https://x.test/s.json', description: 'kept' } },
    });
    assertSubset(cleaned);
    const props = cleaned.properties as Record<string, { properties?: Record<string, unknown> }>;
    expect(props.root?.properties?.label).toEqual({ type: 'string' });
    expect(props.remote).toEqual({ description: 'kept' });
    expect(JSON.stringify(cleaned)).not.toContain('$ref');
  });

  it('never leaves composition at the top level', () => {
    expect(
      cleanToolSchema({
        anyOf: [
          { type: 'object', properties: { a: { type: 'string' } } },
          { type: 'object', properties: { b: { type: 'number' } } },
        ],
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
    });
  });

  it('fills what codex fills: items for arrays, types from format/bounds, unwraps single-variant combiners', () => {
    expect(
      cleanToolSchema({
        type: 'object',
        properties: {
          tags: { type: 'array', description: 'MCP style, no items' },
          tuple: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] },
          url: { format: 'uri' },
          n: { minimum: 1 },
          one: { anyOf: [{ type: 'boolean' }], description: 'only one' },
          any: true,
        },
      }).properties,
    ).toEqual({
      tags: { type: 'array', description: 'MCP style, no items', items: { type: 'string' } },
      tuple: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
      url: { type: 'string' },
      n: { type: 'number' },
      one: { type: 'boolean', description: 'only one' },
      any: {},
    });
  });

  it('keeps a property called __proto__ and a cyclic $ref becomes its type’s permissive stand-in', () => {
    const cleaned = cleanToolSchema(
      JSON.parse(
        '{"type":"object","$defs":{"list":{"type":"array","items":{"$ref":"#/$defs/list"}}},' +
          '"properties":{"__proto__":{"type":"string"},"l":{"$ref":"#/$defs/list"}},"required":["__proto__"]}',
      ),
    );
    expect(Object.keys(cleaned.properties as object)).toEqual(['__proto__', 'l']);
    expect(cleaned.required).toEqual(['__proto__']);
    expect((cleaned.properties as Record<string, unknown>).l).toEqual({
      type: 'array',
      items: { type: 'array', items: { type: 'string' } },
    });
  });
});
