// An HTTP proxy between a desk and the central that misbehaves on purpose: drops the
// connection, delays, answers 500/503 without forwarding, loses the answer after the server
// committed, or holds a request past the client's timeout and forwards it anyway.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'none' | 'drop' | 'delay' | 'error500' | 'error503' | 'lost' | 'timeout';

export interface FaultProxy {
  /** Base URL of the FHIR API through the proxy. */
  url: string;
  faults: Record<Fault, number>;
  setChooser(choose: () => Fault): void;
  /** Resolves when no forwarded request is still on its way. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFaultProxy(centralUrl: string, options: { timeoutMs: number }): Promise<FaultProxy> {
  const target = new URL(centralUrl);
  let choose: () => Fault = () => 'none';
  const faults: Record<Fault, number> = { none: 0, drop: 0, delay: 0, error500: 0, error503: 0, lost: 0, timeout: 0 };
  const inFlight = new Set<Promise<unknown>>();

  function forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((done, fail) => {
      const up = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (typeof v === 'string' && k !== 'content-length' && k !== 'connection') headers[k] = v;
            done({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
          });
        },
      );
      up.on('error', fail);
      up.end(body);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const fault = choose();
    faults[fault]++;
    const outcome = (status: number) => {
      res.writeHead(status, { 'content-type': 'application/fhir+json' });
      res.end(
        JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'transient', details: { text: `injected ${status}` } }],
        }),
      );
    };
    switch (fault) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'error500':
        return outcome(500);
      case 'error503':
        return outcome(503);
      default:
        break;
    }
    if (fault === 'delay') await sleep(20 + Math.floor(Math.random() * 120));
    if (fault === 'timeout') await sleep(options.timeoutMs + 80); // the client has given up; the server still gets it
    const work = forward(req, body);
    inFlight.add(work);
    let answer: Awaited<typeof work>;
    try {
      answer = await work;
    } finally {
      inFlight.delete(work);
    }
    if (fault === 'lost' || fault === 'timeout') {
      req.socket.destroy(); // committed on the server, the answer never arrives
      return;
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    faults,
    setChooser: (c) => (choose = c),
    idle: async () => {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
