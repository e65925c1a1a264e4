import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createOpenAiEmbedder } from '../../src/knowledge/openaiEmbedder.js';
import { openRetriever } from '../../src/knowledge/retriever.js';
import { knowledgeOf, note, removeDir, tempDir } from './retrievalSupport.js';

/** A minimal OpenAI-compatible `/v1/embeddings` endpoint (what Ollama, vLLM and LM Studio serve). */
class FakeEmbeddingsServer {
  readonly requests: { path: string; authorization: string | undefined; body: { model?: string; input?: string[]; encoding_format?: string } }[] = [];
  private server: Server | undefined;
  baseURL = '';
  readonly dimensions = 8;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.read(req).then((text) => {
        const body = JSON.parse(text || '{}') as { model?: string; input?: string[] | string; encoding_format?: string };
        const input = Array.isArray(body.input) ? body.input : [body.input ?? ''];
        this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body: { ...body, input } });
        if (req.url !== '/v1/embeddings') {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
          return;
        }
        // Like the real API: base64 of little-endian float32 when asked (the OpenAI SDK's default), else JSON floats.
        const encode = (vector: number[]) => (body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector);
        const data = input.map((text, index) => ({ object: 'embedding', index, embedding: encode(this.vectorOf(text)) }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseURL = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private vectorOf(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) vector[word.length % this.dimensions] = (vector[word.length % this.dimensions] ?? 0) + 1;
    return vector;
  }

  private async read(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}

describe('OpenAI-compatible embeddings', () => {
  const server = new FakeEmbeddingsServer();
  const dataDir = tempDir();
  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    removeDir(dataDir);
  });

  it('GIVEN a base URL and model WHEN creating the embedder THEN it measures the dimensions and names model and server in its id, never the key', async () => {
    const config = configSchema.parse({ OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-secret-123', MLE_COACH_EMBEDDINGS_MODEL: 'nomic-embed-text' });

    const embedder = await createOpenAiEmbedder(config);
    const [vector] = await embedder.embed(['hello world']);

    expect(embedder.dimensions).toBe(8);
    expect(embedder.id).toBe(`openai:nomic-embed-text@${new URL(server.baseURL).host}/v1`);
    expect(embedder.id).not.toContain('sk-secret');
    expect(vector).toBeInstanceOf(Float32Array);
    expect(vector?.length).toBe(8);
    expect(server.requests.every((request) => request.path === '/v1/embeddings' && request.body.model === 'nomic-embed-text')).toBe(true);
    expect(server.requests[0]?.authorization).toBe('Bearer sk-secret-123');
    // Float vectors, not the SDK's default base64, which many compatible servers do not implement.
    expect(server.requests[0]?.body.encoding_format).toBe('float');
  });

  it('GIVEN the LangChain client with its default base64 encoding WHEN embedding THEN the fake answers in base64 and the vectors decode intact', async () => {
    const { OpenAIEmbeddings } = await import('@langchain/openai');
    const client = new OpenAIEmbeddings({ model: 'fake-embed', apiKey: 'sk-test', maxRetries: 0, configuration: { baseURL: server.baseURL } });
    const [vector] = await client.embedDocuments(['precision and recall']);
    expect(server.requests.at(-1)?.body.encoding_format).toBe('base64');
    expect(vector?.length).toBeGreaterThan(0);
    expect(vector?.some((value) => value !== 0)).toBe(true);
  });

  it('GIVEN no API key but a local server WHEN embedding THEN requests still go out (local servers ignore the key)', async () => {
    const config = configSchema.parse({ OPENAI_BASE_URL: server.baseURL, MLE_COACH_EMBEDDINGS_MODEL: 'all-minilm' });
    const embedder = await createOpenAiEmbedder(config);
    expect((await embedder.embed(['a', 'b'])).length).toBe(2);
  });

  it('GIVEN the remote embedder WHEN the retriever opens THEN it indexes the notes with it and searches', async () => {
    const config = configSchema.parse({ OPENAI_BASE_URL: server.baseURL, MLE_COACH_EMBEDDINGS_MODEL: 'nomic-embed-text' });
    const embedder = await createOpenAiEmbedder(config);
    const knowledge = knowledgeOf(
      [note('roc-auc', 'evaluation-metrics', 'ROC AUC', { 'When ROC AUC is misleading': 'Imbalanced data makes ROC AUC look excellent.' })],
      'hash-openai',
    );

    const retriever = await openRetriever({ knowledge, dataDir, embedder });

    expect(retriever.index?.meta.embedderId).toBe(embedder.id);
    expect(retriever.index?.meta.dimensions).toBe(8);
    expect((await retriever.search('roc auc imbalanced', { mode: 'dense' }))[0]?.noteId).toBe('roc-auc');
  });
});
