import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Streaming reader for the wink-embeddings JSON file
 * (`{ ..., "dimensions": 100, "words": [...], "vectors": { "word": [v0..v99, l2norm, wordIndex] }, ... }`).
 *
 * The file is ~300 MB; `JSON.parse` on it peaks at 1-2 GB of heap. This reader walks the bytes in
 * fixed-size chunks instead and only decodes the floats of the words it keeps, so a build peaks at
 * the size of the kept vectors plus one chunk.
 */

const CHUNK_BYTES = 8 * 1024 * 1024;
/** Every value this reader decodes in one go (a key plus one vector) fits well within this. */
const LOOKAHEAD_BYTES = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

export class WordVectorSourceError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'WordVectorSourceError';
  }
}

class ChunkedBytes {
  private buffer = Buffer.alloc(CHUNK_BYTES + LOOKAHEAD_BYTES);
  /** Bytes of the file consumed before `buffer[0]`. */
  private base = 0;
  pos = 0;
  end = 0;
  private eof = false;

  constructor(private readonly fd: number) {}

  get bytes(): Buffer {
    return this.buffer;
  }

  offset(): number {
    return this.base + this.pos;
  }

  /** Makes at least `count` bytes available from `pos` unless the file ends first. */
  ensure(count: number): void {
    if (this.end - this.pos >= count || this.eof) return;
    // Move the unread tail to the front, then fill the rest.
    this.buffer.copy(this.buffer, 0, this.pos, this.end);
    this.base += this.pos;
    this.end -= this.pos;
    this.pos = 0;
    while (this.end < this.buffer.length && !this.eof) {
      const read = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
      if (read === 0) this.eof = true;
      this.end += read;
    }
  }

  peek(): number {
    this.ensure(1);
    if (this.pos >= this.end) throw new WordVectorSourceError('unexpected end of file', this.offset());
    return this.buffer[this.pos] as number;
  }

  skipWhitespace(): void {
    for (;;) {
      this.ensure(1);
      if (this.pos >= this.end) return;
      const byte = this.buffer[this.pos] as number;
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return;
      this.pos++;
    }
  }

  expect(byte: number): void {
    this.skipWhitespace();
    if (this.peek() !== byte) throw new WordVectorSourceError(`expected "${String.fromCharCode(byte)}"`, this.offset());
    this.pos++;
  }
}

/** Decodes a JSON string starting at the opening quote; leaves `pos` after the closing quote. */
function readString(input: ChunkedBytes): string {
  input.skipWhitespace();
  input.ensure(LOOKAHEAD_BYTES);
  const bytes = input.bytes;
  if (bytes[input.pos] !== QUOTE) throw new WordVectorSourceError('expected a string', input.offset());
  let index = input.pos + 1;
  let escaped = false;
  while (index < input.end) {
    const byte = bytes[index] as number;
    if (byte === BACKSLASH) escaped = true;
    else if (byte === QUOTE) break;
    index++;
    if (byte === BACKSLASH) index++;
  }
  if (index >= input.end) throw new WordVectorSourceError('unterminated string', input.offset());
  const raw = bytes.toString('utf8', input.pos, index + 1);
  input.pos = index + 1;
  return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
}

/** Parses a JSON number from `bytes[from..to)` without allocating a string. */
function parseNumber(bytes: Buffer, from: number, to: number): number {
  let index = from;
  let sign = 1;
  if (bytes[index] === 0x2d) {
    sign = -1;
    index++;
  }
  let mantissa = 0;
  let scale = 0;
  let seenDot = false;
  let exponent = 0;
  for (; index < to; index++) {
    const byte = bytes[index] as number;
    if (byte >= 0x30 && byte <= 0x39) {
      mantissa = mantissa * 10 + (byte - 0x30);
      if (seenDot) scale++;
    } else if (byte === 0x2e) {
      seenDot = true;
    } else if (byte === 0x65 || byte === 0x45) {
      let expSign = 1;
      index++;
      if (bytes[index] === 0x2d) {
        expSign = -1;
        index++;
      } else if (bytes[index] === 0x2b) index++;
      for (; index < to; index++) exponent = exponent * 10 + ((bytes[index] as number) - 0x30);
      exponent *= expSign;
    } else {
      return Number.NaN;
    }
  }
  const power = exponent - scale;
  return sign * (power >= 0 ? mantissa * 10 ** power : mantissa / 10 ** -power);
}

/** Skips any JSON value (used for the keys this reader does not need, like the 4 MB `words` list). */
function skipValue(input: ChunkedBytes): void {
  input.skipWhitespace();
  let depth = 0;
  let inString = false;
  for (;;) {
    input.ensure(1);
    if (input.pos >= input.end) throw new WordVectorSourceError('unexpected end of file', input.offset());
    const byte = input.bytes[input.pos] as number;
    if (inString) {
      if (byte === BACKSLASH) {
        input.pos++;
        input.ensure(1);
      } else if (byte === QUOTE) {
        inString = false;
        if (depth === 0) {
          input.pos++;
          return;
        }
      }
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      depth++;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      if (depth === 0) return;
      depth--;
      if (depth === 0) {
        input.pos++;
        return;
      }
    } else if (depth === 0 && (byte === COMMA || byte === 0x20 || byte === 0x0a || byte === 0x0d)) {
      return;
    }
    input.pos++;
  }
}

export interface SourceVector {
  word: string;
  /** Position in the file's frequency-ordered `words` list (0 = most frequent). */
  rank: number;
  /** The raw (not normalised) vector, `dimensions` long. */
  values: Float64Array;
}

export interface ReadSourceOptions {
  /** Only words with a frequency rank below this are decoded and handed to `onVector`. */
  maxRank: number;
  onVector(vector: SourceVector): void;
}

/** Streams the vectors of the `maxRank` most frequent words; returns the file's dimensions. */
export function readWordVectorSource(path: string, options: ReadSourceOptions): { dimensions: number } {
  const fd = openSync(path, 'r');
  try {
    const input = new ChunkedBytes(fd);
    let dimensions = 0;
    let sawVectors = false;
    input.expect(OPEN_BRACE);
    for (;;) {
      input.skipWhitespace();
      if (input.peek() === CLOSE_BRACE) break;
      const key = readString(input);
      input.expect(COLON);
      if (key === 'dimensions') {
        input.skipWhitespace();
        input.ensure(64);
        let to = input.pos;
        while (to < input.end && /[-+0-9.eE]/.test(String.fromCharCode(input.bytes[to] as number))) to++;
        dimensions = parseNumber(input.bytes, input.pos, to);
        input.pos = to;
      } else if (key === 'vectors') {
        if (!Number.isInteger(dimensions) || dimensions <= 0) throw new WordVectorSourceError('"vectors" comes before a valid "dimensions"', input.offset());
        readVectors(input, dimensions, options);
        sawVectors = true;
      } else {
        skipValue(input);
      }
      input.skipWhitespace();
      if (input.peek() === COMMA) input.pos++;
    }
    if (!sawVectors) throw new WordVectorSourceError('no "vectors" object found', input.offset());
    return { dimensions };
  } finally {
    closeSync(fd);
  }
}

function readVectors(input: ChunkedBytes, dimensions: number, options: ReadSourceOptions): void {
  input.expect(OPEN_BRACE);
  const values = new Float64Array(dimensions);
  for (;;) {
    input.skipWhitespace();
    if (input.peek() === CLOSE_BRACE) {
      input.pos++;
      return;
    }
    const word = readString(input);
    input.expect(COLON);
    input.expect(OPEN_BRACKET);
    input.ensure(LOOKAHEAD_BYTES);
    const bytes = input.bytes;
    const close = bytes.indexOf(CLOSE_BRACKET, input.pos);
    if (close < 0 || close >= input.end) throw new WordVectorSourceError(`vector of "${word}" is not terminated`, input.offset());
    // The word index is the last number of the array: read it first to skip words we do not keep.
    let lastComma = close - 1;
    while (lastComma > input.pos && bytes[lastComma] !== COMMA) lastComma--;
    const rank = parseNumber(bytes, skipSpaces(bytes, lastComma + 1, close), trimEnd(bytes, lastComma + 1, close));
    if (Number.isInteger(rank) && rank >= 0 && rank < options.maxRank) {
      let from = input.pos;
      let count = 0;
      while (count < dimensions && from < close) {
        let to = from;
        while (to < close && bytes[to] !== COMMA) to++;
        values[count++] = parseNumber(bytes, skipSpaces(bytes, from, to), trimEnd(bytes, from, to));
        from = to + 1;
      }
      if (count !== dimensions) throw new WordVectorSourceError(`vector of "${word}" has ${count} values, expected ${dimensions}`, input.offset());
      options.onVector({ word, rank, values });
    }
    input.pos = close + 1;
    input.skipWhitespace();
    if (input.peek() === COMMA) input.pos++;
  }
}

function skipSpaces(bytes: Buffer, from: number, to: number): number {
  while (from < to && (bytes[from] === 0x20 || bytes[from] === 0x0a || bytes[from] === 0x0d || bytes[from] === 0x09)) from++;
  return from;
}

function trimEnd(bytes: Buffer, from: number, to: number): number {
  while (to > from && (bytes[to - 1] === 0x20 || bytes[to - 1] === 0x0a || bytes[to - 1] === 0x0d || bytes[to - 1] === 0x09)) to--;
  return to;
}
