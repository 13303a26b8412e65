// A minimal stdio MCP server (newline-delimited JSON-RPC) with one tool whose schema is what MCP servers
// commonly send and Anthropic accepts: an array without `items`, a `uri` format, top-level composition.
// Used by the real-claude e2e test to check that such a schema never reaches the backend as it is.
import { createInterface } from 'node:readline';

const TOOL = {
  name: 'set_labels',
  description: 'Set the labels of an issue',
  inputSchema: {
    type: 'object',
    properties: {
      labels: { type: 'array', description: 'labels to set' },
      link: { type: 'string', format: 'uri' },
    },
    anyOf: [{ required: ['labels'] }, { required: ['link'] }],
  },
};

const send = (msg) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return;
  }
  if (req.id === undefined) return; // notifications
  if (req.method === 'initialize')
    send({
      id: req.id,
      result: {
        protocolVersion: req.params?.protocolVersion ?? '2025-06-18',
        capabilities: { tools: {} },
        serverInfo: { name: 'labels', version: '1.0.0' },
      },
    });
  else if (req.method === 'tools/list') send({ id: req.id, result: { tools: [TOOL] } });
  else if (req.method === 'tools/call')
    send({ id: req.id, result: { content: [{ type: 'text', text: 'labels set' }] } });
  else if (req.method === 'ping') send({ id: req.id, result: {} });
  else send({ id: req.id, error: { code: -32601, message: `method not found: ${req.method}` } });
});
