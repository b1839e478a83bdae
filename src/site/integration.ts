/**
 * Hands the view model to the Astro pages as the virtual module `virtual:upkeep/view`
 * (the way Starlight passes its config): computed once by `upkeep build`, read by every route.
 */
import type { AstroIntegration } from 'astro';
import type { SiteView } from './view-model.ts';

const ID = 'virtual:upkeep/view';

export function upkeepSite(view: SiteView): AstroIntegration {
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
                load: (id: string) => (id === `\0${ID}` ? `export default JSON.parse(${JSON.stringify(JSON.stringify(view))});` : undefined),
              },
            ],
          },
        });
      },
    },
  };
}
