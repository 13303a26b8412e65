/**
 * Reduces a tool's JSON Schema to the subset the real codex sends (codex-backend-contract.md §6: `type`,
 * `description`, `enum`, `items`, `properties`, `required`, `additionalProperties`, `anyOf`), which also
 * removes everything OpenAI is known to reject (`format: uri`, `\p{…}` patterns, `$schema`, non-URI `$id`,
 * top-level composition, objects without `properties`). Local `$ref`s are inlined, `const` becomes `enum`,
 * `oneOf` becomes `anyOf`, `allOf` is merged, and the top level is always a plain object schema.
 */
type Schema = Record<string, unknown>;

const MAX_REF_DEPTH = 8;

interface Ctx {
  root: Schema;
  refDepth: number;
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function resolveRef(ref: string, ctx: Ctx): Schema | null {
  if (!ref.startsWith('#/')) return null;
  let node: unknown = ctx.root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return null;
    node = node[key];
  }
  return isObject(node) ? node : null;
}

function inferType(s: Schema): string | undefined {
  if (isObject(s.properties) || s.required !== undefined || s.additionalProperties !== undefined) return 'object';
  if (s.items !== undefined) return 'array';
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : [];
  const first = values.find((v) => v !== null);
  if (typeof first === 'string') return 'string';
  if (typeof first === 'number') return Number.isInteger(first) ? 'integer' : 'number';
  if (typeof first === 'boolean') return 'boolean';
  return undefined;
}

/** Folds `allOf` members into one schema (properties and required united, first type wins). */
function mergeAllOf(s: Schema, ctx: Ctx): Schema {
  const { allOf, ...rest } = s;
  const merged: Schema = { ...rest };
  for (const member of Array.isArray(allOf) ? allOf : []) {
    if (!isObject(member)) continue;
    const m = typeof member.$ref === 'string' ? (resolveRef(member.$ref, ctx) ?? {}) : member;
    for (const [k, v] of Object.entries(m)) {
      if (k === 'properties' && isObject(v))
        merged.properties = { ...(isObject(merged.properties) ? merged.properties : {}), ...v };
      else if (k === 'required' && Array.isArray(v))
        merged.required = [...new Set([...(Array.isArray(merged.required) ? merged.required : []), ...v])];
      else if (!(k in merged)) merged[k] = v;
    }
  }
  return merged;
}

function cleanNode(input: unknown, ctx: Ctx): Schema {
  if (!isObject(input)) return {};
  let s = input;
  if (typeof s.$ref === 'string') {
    const target = ctx.refDepth < MAX_REF_DEPTH ? resolveRef(s.$ref, ctx) : null;
    if (!target) return typeof s.description === 'string' ? { description: s.description } : {};
    const { $ref: _ref, ...siblings } = s;
    return cleanNode({ ...target, ...siblings }, { ...ctx, refDepth: ctx.refDepth + 1 });
  }
  if (Array.isArray(s.allOf)) s = mergeAllOf(s, ctx);

  const out: Schema = {};
  const alternatives = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null;
  let type = s.type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === 'string' && t !== 'null');
    if (types.length > 1 && !alternatives) {
      const { type: _t, ...rest } = s;
      const anyOf = types.map((t) => cleanNode({ ...rest, type: t }, ctx));
      return typeof s.description === 'string' ? { description: s.description, anyOf } : { anyOf };
    }
    type = types[0];
  }
  if (typeof type !== 'string' && !alternatives) type = inferType(s);
  if (typeof type === 'string') out.type = type;
  if (typeof s.description === 'string') out.description = s.description;
  if (Array.isArray(s.enum)) out.enum = s.enum;
  else if ('const' in s) out.enum = [s.const];
  if (alternatives) out.anyOf = alternatives.map((a) => cleanNode(a, ctx));

  if (type === 'object') {
    const props: Schema = {};
    if (isObject(s.properties)) for (const [k, v] of Object.entries(s.properties)) props[k] = cleanNode(v, ctx);
    out.properties = props;
    if (Array.isArray(s.required)) {
      const required = s.required.filter((k): k is string => typeof k === 'string' && k in props);
      if (required.length) out.required = required;
    }
    if (typeof s.additionalProperties === 'boolean') out.additionalProperties = s.additionalProperties;
    else if (isObject(s.additionalProperties)) out.additionalProperties = cleanNode(s.additionalProperties, ctx);
  }
  if (type === 'array' && s.items !== undefined) {
    out.items = Array.isArray(s.items) ? { anyOf: s.items.map((i) => cleanNode(i, ctx)) } : cleanNode(s.items, ctx);
  }
  return out;
}

/** Flattens top-level alternatives into one object whose properties are the union (none required). */
function flattenTop(s: Schema): Schema {
  if (!Array.isArray(s.anyOf)) return s;
  const properties: Schema = {};
  for (const alt of s.anyOf) if (isObject(alt) && isObject(alt.properties)) Object.assign(properties, alt.properties);
  return { type: 'object', ...(typeof s.description === 'string' ? { description: s.description } : {}), properties };
}

export function cleanToolSchema(schema: unknown): Schema {
  const root = isObject(schema) ? schema : {};
  const cleaned = flattenTop(cleanNode(root, { root, refDepth: 0 }));
  if (cleaned.type !== 'object') return { type: 'object', properties: {} };
  delete cleaned.enum;
  return cleaned;
}
