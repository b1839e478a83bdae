import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { jsonResponse } from '../../../../../site/json.ts';
import { instanceStatementKeys, statementCsv, statementJson } from '../../../../../site/statement.ts';

/** instances/<id>/sla/<component>/<month>.json and .csv: the statement of one component on one instance. */
export const getStaticPaths = (() =>
  instanceStatementKeys(view).flatMap(({ id, component, month }) =>
    ['json', 'csv'].map((ext) => ({ params: { id, component, file: `${month}.${ext}` } })),
  )) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => {
  const [month, ext] = params.file!.split('.');
  const s = statementJson(view, params.component!, month, view.evidence?.[month], params.id!);
  return ext === 'json' ? jsonResponse(s) : new Response(statementCsv(s), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
};
