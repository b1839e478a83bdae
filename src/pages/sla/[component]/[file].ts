import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { jsonResponse } from '../../../site/json.ts';
import { statementCsv, statementJson, statementKeys } from '../../../site/statement.ts';

export const getStaticPaths = (() =>
  statementKeys(view).flatMap(({ component, month }) =>
    ['json', 'csv'].map((ext) => ({ params: { component, file: `${month}.${ext}` } })),
  )) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => {
  const [month, ext] = params.file!.split('.');
  const s = statementJson(view, params.component!, month, view.evidence?.[month]);
  return ext === 'json' ? jsonResponse(s) : new Response(statementCsv(s), { headers: { 'content-type': 'text/csv; charset=utf-8' } });
};
