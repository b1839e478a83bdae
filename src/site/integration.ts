/**
 * Hands the view model to the Astro pages as the virtual module `virtual:upkeep/view`
 * (the way Starlight passes its config): computed once by `upkeep build`, read by every route.
 * The module reads the model from a JSON file when the pages render, so megabytes of numbers
 * never pass through the bundler; shared objects are written once there (src/site/pack.ts).
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

const ID = 'virtual:upkeep/view';
/** Reads what `upkeep build` wrote with `pack` (shared objects written once). */
const packModule = fileURLToPath(new URL('./pack.ts', import.meta.url));

export function upkeepSite(viewFile: string): AstroIntegration {
  return {
    name: 'upkeep-site',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'upkeep-view',
                resolveId: (id: string) => (id === ID ? `\0${ID}` : undefined),
                load: (id: string) =>
                  id === `\0${ID}`
                    ? `import { readFileSync } from 'node:fs';\nimport { unpack } from ${JSON.stringify(packModule)};\nexport default unpack(readFileSync(${JSON.stringify(viewFile)}, 'utf8'));`
                    : undefined,
              },
            ],
          },
        });
      },
    },
  };
}
