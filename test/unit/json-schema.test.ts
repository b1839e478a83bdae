import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { jsonSchemas } from '../../src/config/json-schema.ts';

describe('the JSON Schemas editors use', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    it(`${name} is the one the zod schema makes (run \`npm run schema\` after changing it)`, async () => {
      const committed = JSON.parse(await readFile(new URL(`../../src/config/${name}`, import.meta.url), 'utf8'));
      assert.deepEqual(committed, JSON.parse(JSON.stringify(schema)), `${name} is stale`);
    });
  }

  it('carries the field docs, so editors show them on hover', () => {
    const checks = jsonSchemas()['checks.schema.json'] as {
      properties: {
        checks: {
          items: { anyOf?: { properties: Record<string, { description?: string }> }[]; oneOf?: { properties: Record<string, { description?: string }> }[] };
        };
      };
    };
    const kinds = checks.properties.checks.items.anyOf ?? checks.properties.checks.items.oneOf ?? [];
    const http = kinds.find((k) => k.properties.kind?.description?.includes('HTTP'));
    assert.ok(http, 'the http check is in the schema');
    for (const field of ['id', 'url', 'expect', 'ca_file', 'timeout']) assert.ok(http.properties[field]?.description, `${field} has a description`);
  });
});
