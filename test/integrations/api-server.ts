// A local stand-in for the GitHub and GitLab comment APIs on 127.0.0.1: list (paginated), create and update, token
// checks, and scripted faults (rate limits, 5xx) taken before normal handling.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Comment {
  id: number;
  body: string;
  system?: boolean;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Only for this method (default any). */
  method?: string;
  /** Do the work first, then answer with the fault (an answer lost after the server acted). */
  after?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface FakeApi {
  url: string;
  github: Map<string, Comment[]>;
  gitlab: Map<string, Comment[]>;
  faults: Fault[];
  requests: RecordedRequest[];
  perPage: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

/** Starts the server. GitHub at /repos/..., GitLab at /api/v4/...; `token` is the only one accepted. */
export async function startFakeApi(token: string): Promise<FakeApi> {
  let nextId = 100;
  const api: FakeApi = { url: "", github: new Map(), gitlab: new Map(), faults: [], requests: [], perPage: 2, close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString("utf8")));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      api.requests.push({ method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body });
      const faultAt = api.faults.findIndex((f) => f.method === undefined || f.method === req.method);
      if (faultAt !== -1 && api.faults[faultAt]!.after) {
        const [f] = api.faults.splice(faultAt, 1);
        const real = res.writeHead.bind(res);
        res.writeHead = ((..._a: unknown[]) => real(f!.status, { "content-type": "application/json" })) as typeof res.writeHead;
        const end = res.end.bind(res);
        res.end = (() => end(JSON.stringify({ message: `injected ${f!.status} after the work` }))) as typeof res.end;
      } else if (faultAt !== -1) {
        const [f] = api.faults.splice(faultAt, 1);
        return send(res, f!.status, f!.body ?? { message: `injected ${f!.status}` }, f!.headers);
      }
      const base = `http://${req.headers.host}`;
      const page = Number(url.searchParams.get("page") ?? "1");
      const per = api.perPage;
      // GitHub: docs.github.com/en/rest/issues/comments
      let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (m || /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/.test(url.pathname)) {
        if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { message: "Bad credentials" });
        if (m) {
          const key = `${m[1]}/${m[2]}#${m[3]}`;
          const list = api.github.get(key) ?? [];
          api.github.set(key, list);
          if (req.method === "GET") {
            const slice = list.slice((page - 1) * per, page * per);
            const headers: Record<string, string> = {};
            if (page * per < list.length) headers.link = `<${base}${url.pathname}?per_page=100&page=${page + 1}>; rel="next", <${base}${url.pathname}?page=99>; rel="last"`;
            return send(res, 200, slice.map((c) => ({ id: c.id, body: c.body, html_url: `https://github.example/${key}#issuecomment-${c.id}` })), headers);
          }
          if (req.method === "POST") {
            const c = { id: nextId++, body: (JSON.parse(body) as { body: string }).body };
            list.push(c);
            return send(res, 201, { id: c.id, body: c.body, html_url: `https://github.example/${key}#issuecomment-${c.id}` });
          }
        }
        const id = Number(/(\d+)$/.exec(url.pathname)![1]);
        if (req.method === "PATCH") {
          for (const [key, list] of api.github) {
            const c = list.find((x) => x.id === id);
            if (c) {
              c.body = (JSON.parse(body) as { body: string }).body;
              return send(res, 200, { id, body: c.body, html_url: `https://github.example/${key}#issuecomment-${id}` });
            }
          }
          return send(res, 404, { message: "Not Found" });
        }
        return send(res, 405, { message: "method" });
      }
      // GitLab: docs.gitlab.com/api/notes#merge-requests
      m = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(url.pathname);
      if (m) {
        const ok = req.headers["private-token"] === token || req.headers["job-token"] === token;
        if (!ok) return send(res, 401, { message: "401 Unauthorized" });
        const key = `${decodeURIComponent(m[1]!)}!${m[2]}`;
        const list = api.gitlab.get(key) ?? [];
        api.gitlab.set(key, list);
        if (req.method === "GET" && !m[3]) {
          const slice = list.slice((page - 1) * per, page * per);
          return send(res, 200, slice.map((c) => ({ id: c.id, body: c.body, system: c.system === true })), { "x-next-page": page * per < list.length ? String(page + 1) : "", "x-page": String(page) });
        }
        if (req.method === "POST" && !m[3]) {
          const c = { id: nextId++, body: (JSON.parse(body) as { body: string }).body };
          list.push(c);
          return send(res, 201, { id: c.id, body: c.body });
        }
        if (req.method === "PUT" && m[3]) {
          const c = list.find((x) => x.id === Number(m![3]));
          if (!c) return send(res, 404, { message: "404 Not found" });
          c.body = (JSON.parse(body) as { body: string }).body;
          return send(res, 200, { id: c.id, body: c.body });
        }
      }
      send(res, 404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  api.url = `http://127.0.0.1:${port}`;
  api.close = () => new Promise((resolve) => server.close(() => resolve()));
  return api;
}
