import { createServer, type Server } from 'node:http';

export interface ReadinessCheck {
  name: string;
  ready(): boolean;
}

/** `/healthz` (process alive) and `/readyz` (every check passes) for orchestrators. */
export function startHealthServer(port: number, checks: () => readonly ReadinessCheck[], host = '0.0.0.0'): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (path === '/readyz') {
      const results = checks().map((check) => ({ name: check.name, ready: check.ready() }));
      const ready = results.every((result) => result.ready);
      response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'ready' : 'not-ready', checks: results }));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
