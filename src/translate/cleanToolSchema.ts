/**
 * Reduces a tool's JSON Schema to the subset codex's own sanitizer produces (codex-backend-contract.md §6;
 * openai/codex tools/src/json_schema.rs): only `type`, `description`, `enum`, `items`, `properties`,
 * `required`, `additionalProperties` and `anyOf`, so that no schema Anthropic accepts can be refused upstream
 * (an MCP `array` without `items` failed every later request of a session). Like codex: local `$ref`s are
 * inlined (a cycle becomes a permissive stand-in), `const` becomes `enum`, a missing `type` is inferred,
 * `object` gets `properties:{}` and `array` gets `items:{type:"string"}` when absent, single-variant
 * combiners unwrap, and the top level is always a plain object schema. Beyond codex: `oneOf` becomes `anyOf`,
 * `allOf` is merged, type arrays split into `anyOf` (null dropped), and the walk is bounded in depth and size
 * so a hostile or huge schema cannot exhaust the stack or expand exponentially through `$ref`s. A node with
 * nothing to infer from stays `{}`, which the backend accepts nested (contract §6, #22380).
 */
type Schema = Record<string, unknown>;

/** Nesting steps (`$ref`, `allOf` and unwraps count too) deeper than any real tool schema goes. */
export const MAX_SCHEMA_DEPTH = 48;
/** Nodes written per tool: `$ref`s to shared definitions can otherwise multiply without a cycle. */
export const MAX_SCHEMA_NODES = 5000;

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const DEFAULT_ITEMS: Schema = { type: 'string' };

interface Walk {
  root: Schema;
  /** `$ref` pointers being expanded on the current path (cycle detection, as codex does). */
  activeRefs: string[];
  depth: number;
  /** Shared across the whole walk. */
  budget: { nodes: number };
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Plain assignment would swallow a property called `__proto__`. */
function setOwn(target: Schema, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function resolveRef(ref: string, root: Schema): Schema | null {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return null;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !Object.hasOwn(node, key)) return null;
    node = node[key];
  }
  return isObject(node) ? node : null;
}

function inferType(s: Schema): string | undefined {
  if (isObject(s.properties) || s.required !== undefined || s.additionalProperties !== undefined) return 'object';
  if (s.items !== undefined || s.prefixItems !== undefined) return 'array';
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : [];
  const first = values.find((v) => v !== null);
  if (typeof first === 'string') return 'string';
  if (typeof first === 'number') return Number.isInteger(first) ? 'integer' : 'number';
  if (typeof first === 'boolean') return 'boolean';
  if (typeof s.format === 'string' || typeof s.pattern === 'string') return 'string';
  for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'])
    if (typeof s[k] === 'number') return 'number';
  return undefined;
}

/** What a cut-off node (cycle, depth, budget) becomes: its type's most permissive schema. */
function standIn(s: Schema | null): Schema {
  const declared = s && (typeof s.type === 'string' ? s.type : Array.isArray(s.type) ? s.type[0] : undefined);
  const type = s ? (TYPES.has(declared as string) ? (declared as string) : inferType(s)) : undefined;
  const description = typeof s?.description === 'string' ? { description: s.description } : {};
  if (type === 'object') return { type, ...description, properties: {} };
  if (type === 'array') return { type, ...description, items: { ...DEFAULT_ITEMS } };
  if (type && type !== 'null') return { type, ...description };
  return description;
}

/** Folds `allOf` members into one schema (properties and required united, first value wins otherwise). */
function mergeAllOf(s: Schema, root: Schema): Schema {
  const { allOf, ...rest } = s;
  const merged: Schema = { ...rest };
  for (const member of Array.isArray(allOf) ? allOf : []) {
    if (!isObject(member)) continue;
    const m = typeof member.$ref === 'string' ? (resolveRef(member.$ref, root) ?? {}) : member;
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

/** `anyOf`/`oneOf` members, or null; a single member unwraps into its parent like codex does. */
function alternativesOf(s: Schema): unknown[] | null {
  const list = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null;
  return list?.length ? list : null;
}

function cleanNode(input: unknown, w: Walk): Schema {
  if (!isObject(input)) return {}; // `true`/`false` schemas and junk: accept anything
  if (w.depth > MAX_SCHEMA_DEPTH || --w.budget.nodes < 0) return standIn(input);
  const deeper: Walk = { ...w, depth: w.depth + 1 };
  const s = input;

  if (typeof s.$ref === 'string') {
    const { $ref: ref, ...siblings } = s;
    const target = resolveRef(ref as string, w.root);
    if (!target) return standIn(siblings);
    if (w.activeRefs.includes(ref as string)) return standIn({ ...target, ...siblings });
    return cleanNode({ ...target, ...siblings }, { ...deeper, activeRefs: [...w.activeRefs, ref as string] });
  }
  if (Array.isArray(s.allOf)) return cleanNode(mergeAllOf(s, w.root), deeper);

  const alternatives = alternativesOf(s);
  if (alternatives?.length === 1 && isObject(alternatives[0])) {
    const { anyOf: _a, oneOf: _o, ...rest } = s;
    return cleanNode({ ...rest, ...alternatives[0] }, deeper);
  }

  let type = s.type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === 'string' && TYPES.has(t) && t !== 'null');
    if (types.length > 1 && !alternatives) {
      const { type: _t, ...rest } = s;
      const anyOf = types.map((t) => cleanNode({ ...rest, type: t }, deeper));
      return typeof s.description === 'string' ? { description: s.description, anyOf } : { anyOf };
    }
    type = types[0];
  }
  if (typeof type !== 'string' || !TYPES.has(type)) type = alternatives ? undefined : inferType(s);

  const out: Schema = {};
  if (typeof type === 'string') out.type = type;
  if (typeof s.description === 'string') out.description = s.description;
  if (Array.isArray(s.enum) && s.enum.length) out.enum = s.enum;
  else if ('const' in s) out.enum = [s.const];
  if (alternatives) out.anyOf = alternatives.map((a) => cleanNode(a, deeper));

  if (type === 'object') {
    const props: Schema = {};
    if (isObject(s.properties))
      for (const [k, v] of Object.entries(s.properties)) setOwn(props, k, cleanNode(v, deeper));
    out.properties = props;
    if (Array.isArray(s.required)) {
      const required = [
        ...new Set(s.required.filter((k): k is string => typeof k === 'string' && Object.hasOwn(props, k))),
      ];
      if (required.length) out.required = required;
    }
    if (typeof s.additionalProperties === 'boolean') out.additionalProperties = s.additionalProperties;
    else if (isObject(s.additionalProperties)) out.additionalProperties = cleanNode(s.additionalProperties, deeper);
  }
  if (type === 'array') {
    // Tuples (`items: [...]`, `prefixItems`) have no place in the subset: any of their members will do.
    const tuple = Array.isArray(s.items) ? s.items : Array.isArray(s.prefixItems) ? s.prefixItems : null;
    if (isObject(s.items)) out.items = cleanNode(s.items, deeper);
    else if (tuple?.length) out.items = { anyOf: tuple.map((i) => cleanNode(i, deeper)) };
    else out.items = { ...DEFAULT_ITEMS };
  }
  return out;
}

/**
 * Top-level alternatives are refused upstream: one object whose properties are its own plus every
 * alternative's; only its own `required` stays (which alternative applies is the model's to pick).
 */
function flattenTop(s: Schema): Schema {
  if (!Array.isArray(s.anyOf)) return s;
  const { anyOf, ...rest } = s;
  const properties: Schema = {};
  for (const alt of anyOf)
    if (isObject(alt) && isObject(alt.properties))
      for (const [k, v] of Object.entries(alt.properties)) setOwn(properties, k, v);
  if (isObject(rest.properties)) for (const [k, v] of Object.entries(rest.properties)) setOwn(properties, k, v);
  return { ...rest, type: 'object', properties };
}

export function cleanToolSchema(schema: unknown): Schema {
  const root = isObject(schema) ? schema : {};
  const cleaned = flattenTop(cleanNode(root, { root, activeRefs: [], depth: 0, budget: { nodes: MAX_SCHEMA_NODES } }));
  if (cleaned.type !== 'object') return { type: 'object', properties: {} };
  delete cleaned.enum;
  return cleaned;
}
