/**
 * A local stand-in for GitHub's REST API on 127.0.0.1: issues, comments, labels, with the response
 * shapes GitHub documents (and @octokit/fixtures records), and faults on demand (5xx, secondary
 * rate limits, 404) so retry paths run for real.
 */
import { httpServer } from './servers.ts';

type Comment = {
  id: number;
  node_id: string;
  body: string;
  user: { login: string; id: number; type: string };
  author_association: string;
  created_at: string;
  updated_at: string;
  html_url: string;
  issue_url: string;
};
type Issue = {
  id: number;
  node_id: string;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: { id: number; name: string }[];
  comments: Comment[];
  user: { login: string };
  html_url: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
};
type Fault = { match: RegExp; status: number; headers?: Record<string, string>; body?: unknown; times: number };

export async function githubServer() {
  const issues: Issue[] = [];
  const faults: Fault[] = [];
  const requests: string[] = [];
  /** repository_dispatch events received, as GitHub takes them (`POST /repos/{o}/{r}/dispatches`, 204). */
  const dispatches: { repo: string; event_type: string; client_payload: Record<string, unknown> }[] = [];
  let ids = 1000;
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const { url } = await httpServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : {};
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const key = `${req.method} ${path}`;
    requests.push(key);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json', ...headers });
      res.end(JSON.stringify(data));
    };
    const fault = faults.find((f) => f.times > 0 && f.match.test(key));
    if (fault) {
      fault.times--;
      return send(fault.status, fault.body ?? { message: 'Server Error' }, fault.headers);
    }
    if (req.headers.authorization !== 'token test-token')
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.invalid/rest' });
    const d = /^\/repos\/([^/]+)\/([^/]+)\/dispatches$/.exec(path);
    if (d && req.method === 'POST') {
      if (d[2] !== 'status')
        return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event' });
      if (typeof body.event_type !== 'string' || !body.event_type)
        return send(422, { message: 'Invalid request.\n\n"event_type" wasn\'t supplied.', documentation_url: 'https://docs.github.com/rest' });
      dispatches.push({ repo: `${d[1]}/${d[2]}`, event_type: body.event_type, client_payload: body.client_payload ?? {} });
      res.writeHead(204);
      return res.end();
    }
    const m = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+))?(?:\/(comments))?$/.exec(path);
    const cm = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (cm && req.method === 'PATCH') {
      const comment = issues.flatMap((i) => i.comments).find((c) => c.id === Number(cm[3]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = body.body;
      comment.updated_at = now();
      return send(200, comment);
    }
    if (!m) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.invalid/rest' });
    const [, owner, repo, num, comments] = m;
    const issue = num ? issues.find((i) => i.number === Number(num)) : undefined;
    if (num && !issue) return send(404, { message: 'Not Found' });
    if (!num && req.method === 'POST') {
      const n = issues.length + 1;
      const created: Issue = {
        id: ++ids,
        node_id: `I_${ids}`,
        number: n,
        title: body.title,
        body: body.body ?? '',
        state: 'open',
        labels: (body.labels ?? []).map((name: string, k: number) => ({ id: k + 1, name })),
        comments: [],
        user: { login: 'github-actions[bot]' },
        html_url: `https://github.invalid/${owner}/${repo}/issues/${n}`,
        created_at: now(),
        updated_at: now(),
        closed_at: null,
      };
      issues.push(created);
      const { comments: _c, ...shape } = created;
      return send(201, { ...shape, comments: 0 });
    }
    if (issue && comments && req.method === 'POST') {
      const c: Comment = {
        id: ++ids,
        node_id: `IC_${ids}`,
        body: body.body,
        user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
        author_association: 'NONE',
        created_at: now(),
        updated_at: now(),
        html_url: `${issue.html_url}#issuecomment-${ids}`,
        issue_url: issue.html_url,
      };
      issue.comments.push(c);
      return send(201, c);
    }
    if (issue && comments && req.method === 'GET') return send(200, issue.comments);
    if (issue && !comments && req.method === 'GET') {
      const { comments: _c, ...shape } = issue;
      return send(200, { ...shape, comments: issue.comments.length });
    }
    if (issue && req.method === 'PATCH') {
      if (body.state) {
        issue.state = body.state;
        issue.closed_at = body.state === 'closed' ? now() : null;
      }
      const { comments: _c, ...shape } = issue;
      return send(200, { ...shape, comments: issue.comments.length });
    }
    return send(404, { message: 'Not Found' });
  });
  return {
    url,
    issues,
    requests,
    dispatches,
    /** The next `times` requests matching `match` ("METHOD /path") get this answer. */
    fail(match: RegExp, status: number, times = 1, headers?: Record<string, string>, body?: unknown) {
      faults.push({ match, status, times, headers, body });
    },
    /** A label as a person with write access would add it. */
    label(number: number, name: string) {
      const issue = issues.find((i) => i.number === number)!;
      issue.labels.push({ id: issue.labels.length + 1, name });
    },
    /** A comment as a person would post it. */
    comment(number: number, login: string, association: string, body: string, at = new Date()) {
      const issue = issues.find((i) => i.number === number)!;
      issue.comments.push({
        id: ++ids,
        node_id: `IC_${ids}`,
        body,
        user: { login, id: ids, type: 'User' },
        author_association: association,
        created_at: at.toISOString().replace(/\.\d+Z$/, 'Z'),
        updated_at: at.toISOString(),
        html_url: `${issue.html_url}#issuecomment-${ids}`,
        issue_url: issue.html_url,
      });
    },
  };
}
