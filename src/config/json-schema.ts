/** JSON Schemas for editors (yaml-language-server), generated from the zod schema so they never drift. */
import { z } from 'zod';
import { checksFile, maintenanceFile, siteFile } from './schema.ts';
import { notifyFile } from '../notify/schema.ts';

export function jsonSchemas(): Record<string, unknown> {
  const make = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title,
  });
  return {
    'site.schema.json': make(siteFile, 'Upkeep site.yml'),
    'checks.schema.json': make(checksFile, 'Upkeep checks file'),
    'maintenance.schema.json': make(maintenanceFile, 'Upkeep maintenance.yml'),
    'notify.schema.json': make(notifyFile, 'Upkeep notify.yml'),
  };
}
