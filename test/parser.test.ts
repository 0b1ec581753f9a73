import { describe, it, expect } from 'vitest';
import { RequestParser, ProtocolError, splitArgs } from '../src/protocol/parser';
import { seeded } from './helpers/random';

function parser(max = 512 * 1024 * 1024) {
  return new RequestParser({ protoMaxBulkLen: max });
}

function encode(argv: string[]): string {
  return argv.reduce((s, a) => s + '$' + a.length + '\r\n' + a + '\r\n', '*' + argv.length + '\r\n');
}

function drain(p: RequestParser): string[][] {
  const out: string[][] = [];
  for (let a = p.next(); a !== null; a = p.next()) out.push(a);
  return out;
}

describe('request parser', () => {
  it('parses multibulk commands, binary safe', () => {
    const p = parser();
    const bin = '\x00\r\n\xff$*';
    p.feed(Buffer.from(encode(['SET', 'k', bin]) + encode(['GET', 'k']), 'latin1'));
    expect(drain(p)).toEqual([['SET', 'k', bin], ['GET', 'k']]);
    expect(p.pendingBytes).toBe(0);
  });

  it('gives the same commands whatever the chunk boundaries', () => {
    const random = seeded(42);
    const commands: string[][] = [];
    for (let i = 0; i < 200; i++) {
      const argc = 1 + Math.floor(random() * 5);
      const argv: string[] = [];
      for (let j = 0; j < argc; j++) {
        const len = Math.floor(random() * (random() < 0.1 ? 70000 : 20));
        let s = '';
        for (let k = 0; k < len; k++) s += String.fromCharCode(Math.floor(random() * 256));
        argv.push(s);
      }
      commands.push(argv);
    }
    const fullWire = Buffer.from(commands.map(encode).join(''), 'latin1');
    const fewCommands = commands.slice(0, 30);
    for (const maxChunk of [1, 3, 17, 1000, 65536]) {
      // Byte-by-byte feeding is slow to run: it gets the first commands only.
      const expected = maxChunk < 10 ? fewCommands : commands;
      const wire = maxChunk < 10 ? Buffer.from(fewCommands.map(encode).join(''), 'latin1') : fullWire;
      const p = parser();
      const got: string[][] = [];
      let pos = 0;
      while (pos < wire.length) {
        const n = 1 + Math.floor(random() * maxChunk);
        p.feed(wire.subarray(pos, pos + n));
        pos += n;
        got.push(...drain(p));
      }
      expect(got.length).toBe(expected.length);
      expect(got).toEqual(expected);
      expect(p.consumed).toBe(wire.length);
    }
  });

  it('parses inline commands with quoting like Redis', () => {
    const p = parser();
    p.feed(Buffer.from('SET a "hello world"\r\nGET a\n  \r\nECHO \'it\\\'s\' "\\x41\\n"\r\n', 'latin1'));
    expect(drain(p)).toEqual([['SET', 'a', 'hello world'], ['GET', 'a'], ['ECHO', "it's", 'A\n']]);
  });

  it('rejects unbalanced quotes and bad multibulk/bulk lengths with Redis texts', () => {
    const cases: Array<[string, string]> = [
      ['SET a "b\r\n', 'Protocol error: unbalanced quotes in request'],
      ['SET a "b"c\r\n', 'Protocol error: unbalanced quotes in request'],
      ['*x\r\n', 'Protocol error: invalid multibulk length'],
      ['*3000000000\r\n', 'Protocol error: invalid multibulk length'],
      ['*1\r\n$-1\r\n', 'Protocol error: invalid bulk length'],
      ['*1\r\n$abc\r\n', 'Protocol error: invalid bulk length'],
      ['*1\r\n$999999999999\r\n', 'Protocol error: invalid bulk length'],
      ['*1\r\n+foo\r\n', "Protocol error: expected '$', got '+'"],
    ];
    for (const [wire, msg] of cases) {
      const p = parser();
      p.feed(Buffer.from(wire, 'latin1'));
      expect(() => drain(p), wire).toThrow(new ProtocolError(msg));
    }
  });

  it('enforces proto-max-bulk-len before buffering', () => {
    const p = parser(1000);
    p.feed(Buffer.from('*2\r\n$3\r\nGET\r\n$1001\r\n', 'latin1'));
    expect(() => drain(p)).toThrow('Protocol error: invalid bulk length');
  });

  it('limits inline and length lines to 64KB without a newline', () => {
    const p = parser();
    p.feed(Buffer.alloc(70 * 1024, 'a'));
    expect(() => drain(p)).toThrow('Protocol error: too big inline request');
    const q = parser();
    q.feed(Buffer.from('*1' + '1'.repeat(70 * 1024), 'latin1'));
    expect(() => drain(q)).toThrow('Protocol error: too big mbulk count string');
  });

  it('skips empty commands (*0, blank lines) but counts their bytes', () => {
    const p = parser();
    p.feed(Buffer.from('*0\r\n\r\n*-1\r\nPING\r\n', 'latin1'));
    expect(drain(p)).toEqual([['PING']]);
    expect(p.consumed).toBe(17);
  });

  it('does not retain the socket chunk in parsed arguments', () => {
    const p = parser();
    const chunk = Buffer.from(encode(['SET', 'k', 'v'.repeat(100)]), 'latin1');
    p.feed(chunk);
    const [argv] = drain(p);
    chunk.fill(0);
    expect(argv[2]).toBe('v'.repeat(100));
  });

  it('survives random garbage without throwing anything but ProtocolError', () => {
    const random = seeded(7);
    for (let i = 0; i < 2000; i++) {
      const p = parser(4096);
      const len = Math.floor(random() * 64);
      const bytes = Buffer.alloc(len);
      const alphabet = '*$\r\n0123456789-abc "\'\\x';
      for (let k = 0; k < len; k++) bytes[k] = random() < 0.8 ? alphabet.charCodeAt(Math.floor(random() * alphabet.length)) : Math.floor(random() * 256);
      p.feed(bytes);
      try {
        drain(p);
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolError);
      }
    }
  });
});

describe('splitArgs', () => {
  it('handles escapes, quotes and spaces as redis-cli does', () => {
    expect(splitArgs('a b   c')).toEqual(['a', 'b', 'c']);
    expect(splitArgs('"a b" \'c d\'')).toEqual(['a b', 'c d']);
    expect(splitArgs('"\\x00\\xff\\t\\r\\n\\a\\b\\\\\\""')).toEqual(['\x00\xff\t\r\n\x07\b\\"']);
    expect(splitArgs('""')).toEqual(['']);
    expect(splitArgs('"unterminated')).toBeNull();
    expect(splitArgs('\'x\'y')).toBeNull();
    expect(splitArgs('')).toEqual([]);
  });
});
