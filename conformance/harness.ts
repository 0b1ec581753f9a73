/**
 * The differential harness: each case file under conformance/cases is a
 * script of commands sent to tsredis and to the real redis-server, and the
 * raw reply bytes must be identical.
 *
 * Case file syntax (one command per line, redis-cli quoting):
 *   # comment
 *   @test <name>          starts a test; each test begins on freshly flushed servers
 *   @sorted               the next reply is compared with its array elements sorted (order is not specified)
 *   @type                 only the reply's type byte is compared (values legitimately differ)
 *   @skip                 the next reply is read but not compared
 *   @raw <escaped text>   sends raw bytes (\r \n \xHH escapes) and compares what comes back
 *   @sleep <ms>           waits (for expiry)
 *   @newconn              the following commands go through a new connection
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitArgs } from '../src/protocol/parser';
import { readReply, type RespValue } from '../src/protocol/resp-reader';
import { RawConnection, encodeCommand } from '../test/helpers/resp';

export type Step =
  | { kind: 'cmd'; argv: string[]; compare: 'exact' | 'sorted' | 'type' | 'skip'; line: number; text: string }
  | { kind: 'raw'; data: string; line: number; text: string }
  | { kind: 'sleep'; ms: number }
  | { kind: 'newconn' };

export interface Case {
  name: string;
  steps: Step[];
}

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|r|n|t|\\)/g, (_m, e: string) => {
    if (e === 'r') return '\r';
    if (e === 'n') return '\n';
    if (e === 't') return '\t';
    if (e === '\\') return '\\';
    return String.fromCharCode(parseInt(e.slice(1), 16));
  });
}

export function parseCaseFile(file: string): Case[] {
  const text = fs.readFileSync(file, 'latin1');
  const cases: Case[] = [];
  let cur: Case | null = null;
  let compare: 'exact' | 'sorted' | 'type' | 'skip' = 'exact';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('@test')) {
      cur = { name: trimmed.slice(5).trim() || `line ${i + 1}`, steps: [] };
      cases.push(cur);
      continue;
    }
    if (cur === null) {
      cur = { name: path.basename(file), steps: [] };
      cases.push(cur);
    }
    if (trimmed === '@sorted') compare = 'sorted';
    else if (trimmed === '@type') compare = 'type';
    else if (trimmed === '@skip') compare = 'skip';
    else if (trimmed === '@newconn') cur.steps.push({ kind: 'newconn' });
    else if (trimmed.startsWith('@sleep')) cur.steps.push({ kind: 'sleep', ms: parseInt(trimmed.slice(6), 10) });
    else if (trimmed.startsWith('@raw ')) cur.steps.push({ kind: 'raw', data: unescape(trimmed.slice(5)), line: i + 1, text: trimmed });
    else {
      const argv = splitArgs(trimmed);
      if (argv === null) throw new Error(`${file}:${i + 1}: unbalanced quotes`);
      cur.steps.push({ kind: 'cmd', argv, compare, line: i + 1, text: trimmed });
      compare = 'exact';
    }
  }
  return cases;
}

export function caseFiles(dir = path.join(__dirname, 'cases')): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => path.join(dir, f));
}

function sortedForm(v: RespValue): string {
  const enc = (x: RespValue): string => JSON.stringify(x, (_k, val) => (typeof val === 'bigint' ? val.toString() : val));
  if (v.type === 'array' || v.type === 'set') return v.type + ':' + v.value.map(enc).sort().join(',');
  if (v.type === 'map') return 'map:' + v.value.map((p) => enc(p[0]) + '=' + enc(p[1])).sort().join(',');
  return enc(v);
}

/** Reads everything a raw send produced until the connection is quiet or closed. */
async function readRawResponse(conn: RawConnection): Promise<string> {
  const out: string[] = [];
  for (;;) {
    try {
      out.push(await conn.read(150));
    } catch {
      break;
    }
  }
  return out.join('') + (conn.isClosed ? '<closed>' : '');
}

export interface Mismatch {
  line: number;
  command: string;
  expected: string;
  actual: string;
}

/**
 * Flushes a server for the next case. A script left running by a failed case
 * keeps a server BUSY: kill it first, so one bad case cannot stall the rest.
 */
async function flushReady(conn: RawConnection): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const reply = await conn.call('FLUSHALL');
    if (!reply.startsWith('-BUSY')) return;
    await conn.call('SCRIPT', 'KILL');
    await conn.call('FUNCTION', 'KILL');
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server stays BUSY');
}

/**
 * Runs a case against both servers; returns the first mismatch, or null. After
 * a mismatch the remaining steps still run (uncompared), so a case's closing
 * lines that restore configuration always execute.
 */
export async function runCase(c: Case, ours: number, theirs: number): Promise<Mismatch | null> {
  let a = await RawConnection.connect(ours);
  let b = await RawConnection.connect(theirs);
  let first: Mismatch | null = null;
  const mismatch = (m: Mismatch) => {
    if (first === null) first = m;
  };
  try {
    for (const conn of [a, b]) await flushReady(conn);
    for (const step of c.steps) {
      if (step.kind === 'sleep') {
        await new Promise((r) => setTimeout(r, step.ms));
        continue;
      }
      if (step.kind === 'newconn') {
        a.close();
        b.close();
        a = await RawConnection.connect(ours);
        b = await RawConnection.connect(theirs);
        continue;
      }
      if (step.kind === 'raw') {
        a.write(step.data);
        b.write(step.data);
        const [ra, rb] = await Promise.all([readRawResponse(a), readRawResponse(b)]);
        if (ra !== rb) mismatch({ line: step.line, command: step.text, expected: rb, actual: ra });
        continue;
      }
      let ra: string;
      let rb: string;
      try {
        [ra, rb] = await Promise.all([a.call(...step.argv), b.call(...step.argv)]);
      } catch (err) {
        // A connection closed or timed out: nothing after this can be compared.
        mismatch({ line: step.line, command: step.text, expected: '(a reply)', actual: String(err) });
        return first;
      }
      let same: boolean;
      switch (step.compare) {
        case 'exact':
          same = ra === rb;
          break;
        case 'skip':
          same = true;
          break;
        case 'type':
          same = ra[0] === rb[0];
          break;
        case 'sorted':
          same = sortedForm(readReply(ra)!.value) === sortedForm(readReply(rb)!.value);
          break;
      }
      if (!same) mismatch({ line: step.line, command: step.text, expected: rb, actual: ra });
    }
    return first;
  } finally {
    a.close();
    b.close();
  }
}

export { encodeCommand };
