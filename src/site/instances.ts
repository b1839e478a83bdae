/**
 * One instance's view of the page: the site view with that instance's components, incidents and
 * maintenance, so the same builders (Statuspage v2 API, feeds) make its own subtree under
 * `instances/<id>/` — a Statuspage widget can be pointed at one instance.
 */
import type { InstanceView, SiteView } from './view-model.ts';
import { worstStatus } from '../status/vocabulary.ts';

export function instanceScope(view: SiteView, instance: InstanceView): SiteView {
  const affects = (names?: readonly string[]) => !names || names.includes(instance.id);
  return {
    ...view,
    site: { ...view.site, title: `${view.site.title} — ${instance.name}` },
    status: worstStatus(instance.components.map((c) => c.status)),
    groups: instance.groups,
    components: instance.components,
    incidents: view.incidents.filter((i) => instance.incidents.includes(i.id)),
    maintenance: view.maintenance.filter((m) => affects(m.instances)),
    homeMaintenance: view.homeMaintenance.filter((m) => affects(m.instances)),
    instances: [],
  };
}
