/**
 * Randomized differential runs of the Lua number model and libraries:
 * thousands of generated values go through the same script on tsredis and
 * on the real redis-server, and the raw replies must be identical. Covers
 * what fixed case files sample only sparsely: tostring ("%.14g") of random
 * doubles, string.format's numeric conversions, number parsing, cjson and
 * cmsgpack round trips of random nested structures, bit and struct.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTsredis, startRealRedis, redisServerAvailable, type RunningServer, type TsredisHandle } from './helpers/servers';
import { RawConnection } from './helpers/resp';

const available = redisServerAvailable();

/** A small deterministic generator (so that a failure can be replayed). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Random doubles of every kind: integers, fractions, tiny, huge, negative zero, powers of two, halfway cases. */
function randomDouble(r: () => number): number {
  switch (Math.floor(r() * 10)) {
    case 0:
      return Math.floor(r() * 2 ** 53) * (r() < 0.5 ? -1 : 1);
    case 1:
      return Math.floor(r() * 1e6) / 1000;
    case 2:
      return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    case 3:
      return 2 ** Math.floor(r() * 120 - 60);
    case 4:
      return Math.floor(r() * 100000) + 0.5;
    case 5:
      return r() * 1e300;
    case 6:
      return Math.floor(r() * 1000) / 8;
    case 7:
      return Number((r() * 1e6).toPrecision(1 + Math.floor(r() * 17)));
    case 8:
      return -Math.floor(r() * 1e15);
    default:
      return r();
  }
}

/** A Lua literal for a double that reads back exactly (%.17g). */
function luaNumber(x: number): string {
  if (Object.is(x, -0)) return '-0';
  return x.toPrecision(17);
}

function luaString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92) out += '\\' + s[i];
    else if (c < 32 || c > 126) out += '\\' + c;
    else out += s[i];
  }
  return out + '"';
}

function randomString(r: () => number, max = 12): string {
  const n = Math.floor(r() * max);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = r();
    s += k < 0.7 ? String.fromCharCode(97 + Math.floor(r() * 26)) : k < 0.9 ? String.fromCharCode(32 + Math.floor(r() * 95)) : String.fromCharCode(Math.floor(r() * 256));
  }
  return s;
}

/** A random Lua value expression: nested tables with string/number keys, arrays, booleans. */
function randomValue(r: () => number, depth: number): string {
  const k = r();
  if (depth > 3 || k < 0.3) return luaNumber(randomDouble(r) > 1e15 ? Math.floor(r() * 1000) : Math.round(randomDouble(r) * 100) / 100);
  if (k < 0.55) return luaString(randomString(r));
  if (k < 0.6) return r() < 0.5 ? 'true' : 'false';
  if (k < 0.8) {
    const n = Math.floor(r() * 6);
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(randomValue(r, depth + 1));
    return '{' + items.join(',') + '}';
  }
  const n = Math.floor(r() * 6);
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push('[' + luaString(randomString(r, 6) || 'k') + ']=' + randomValue(r, depth + 1));
  return '{' + items.join(',') + '}';
}

describe.skipIf(!available)('randomized differential Lua runs', () => {
  let ours: TsredisHandle;
  let theirs: RunningServer;
  let a: RawConnection;
  let b: RawConnection;
  beforeAll(async () => {
    ours = await startTsredis();
    theirs = (await startRealRedis())!;
    a = await RawConnection.connect(ours.port);
    b = await RawConnection.connect(theirs.port);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await ours?.stop();
    await theirs?.stop();
  });

  /** Runs a script on both servers; returns both raw replies. */
  async function both(script: string, ...args: string[]): Promise<[string, string]> {
    return Promise.all([a.call('EVAL', script, '0', ...args), b.call('EVAL', script, '0', ...args)]);
  }

  it('tostring, concatenation and integer replies of random doubles', async () => {
    const r = rng(1);
    for (let round = 0; round < 20; round++) {
      const xs = Array.from({ length: 100 }, () => randomDouble(r));
      const list = xs.map(luaNumber).join(',');
      const [ours1, theirs1] = await both(`local t = {${list}} local out = {} for i, x in ipairs(t) do out[#out+1] = tostring(x) .. '|' .. x .. '|' .. tostring(-x) end return out`);
      expect(ours1).toBe(theirs1);
      const [ours2, theirs2] = await both(`return {${list}}`);
      expect(ours2).toBe(theirs2);
    }
  });

  it('arithmetic results printed with tostring', async () => {
    const r = rng(2);
    for (let round = 0; round < 10; round++) {
      const xs = Array.from({ length: 60 }, () => randomDouble(r));
      const list = xs.map(luaNumber).join(',');
      const script =
        `local t = {${list}} local out = {} for i = 1, #t - 1 do local x, y = t[i], t[i+1] ` +
        "out[#out+1] = tostring(x + y) .. ' ' .. tostring(x * y) .. ' ' .. tostring(x / y) .. ' ' .. tostring(x % y) .. ' ' .. tostring(x - y) .. ' ' .. tostring(math.floor(x)) .. ' ' .. tostring(math.fmod(x, y)) end return out";
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });

  it('string.format of random doubles with random conversions', async () => {
    const r = rng(3);
    const convs = ['d', 'i', 'x', 'X', 'o', 'u', 'e', 'E', 'f', 'g', 'G', 'c', 's', 'q'];
    for (let round = 0; round < 20; round++) {
      const specs: string[] = [];
      const vals: string[] = [];
      for (let i = 0; i < 40; i++) {
        const conv = convs[Math.floor(r() * convs.length)];
        let flags = '';
        for (const f of ['-', '+', ' ', '#', '0']) if (r() < 0.15) flags += f;
        const width = r() < 0.4 ? String(Math.floor(r() * 25)) : '';
        const prec = r() < 0.5 && conv !== 'c' && conv !== 'q' ? '.' + Math.floor(r() * 20) : '';
        specs.push(`%${conv === 'q' ? '' : flags}${conv === 'q' ? '' : width}${prec}${conv}`);
        const x = randomDouble(r);
        vals.push(conv === 'c' ? String(Math.floor(r() * 256)) : luaNumber(Math.abs(x) > 1e20 && 'dixXouc'.includes(conv) ? Math.floor(r() * 1e6) : x));
      }
      const script = `return {${specs.map((s, i) => `string.format(${luaString(s)}, ${vals[i]})`).join(',')}}`;
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });

  it('number parsing: tonumber and coercion of random numeral strings', async () => {
    const r = rng(4);
    const pieces = ['0x', '0X', '1', '9', '.', 'e', 'E', '+', '-', ' ', 'a', 'f', 'inf', 'nan', 'p', '0', '5', '\t', 'x', '1e308', '1e-5'];
    for (let round = 0; round < 10; round++) {
      const strs: string[] = [];
      for (let i = 0; i < 80; i++) {
        let s = '';
        const n = 1 + Math.floor(r() * 6);
        for (let k = 0; k < n; k++) s += pieces[Math.floor(r() * pieces.length)];
        strs.push(s);
      }
      const script =
        `local t = {${strs.map(luaString).join(',')}} local out = {} for i, s in ipairs(t) do ` +
        "local n = tonumber(s) local h = tonumber(s, 16) local ok, v = pcall(function() return s + 0 end) " +
        "out[#out+1] = tostring(n) .. '|' .. tostring(h) .. '|' .. tostring(ok and v or 'err') end return out";
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });

  it('cjson encodes random structures identically and round-trips them', async () => {
    const r = rng(5);
    for (let round = 0; round < 30; round++) {
      const values = Array.from({ length: 10 }, () => randomValue(r, 0));
      const script = `local out = {} for i, v in ipairs({${values.join(',')}}) do local ok, s = pcall(cjson.encode, v) out[#out+1] = ok and s or ('error: ' .. s) if ok then out[#out+1] = cjson.encode(cjson.decode(s)) end end return out`;
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });

  it('cjson decodes random JSON text identically', async () => {
    const r = rng(6);
    const atoms = ['1', '-2.5', '1e3', '"a"', '"\\u00e9"', '"\\ud83d\\ude00"', 'true', 'false', 'null', '[]', '{}', '0.1', '-0', '"\\n\\t\\/"', '123456789012345678'];
    function gen(d: number): string {
      const k = r();
      if (d > 3 || k < 0.4) return atoms[Math.floor(r() * atoms.length)];
      if (k < 0.7) return '[' + Array.from({ length: Math.floor(r() * 4) }, () => gen(d + 1)).join(',') + ']';
      return '{' + Array.from({ length: Math.floor(r() * 4) }, (_, i) => `"k${i}${Math.floor(r() * 9)}":${gen(d + 1)}`).join(',') + '}';
    }
    for (let round = 0; round < 20; round++) {
      const docs = Array.from({ length: 15 }, () => gen(0));
      // Corrupt some documents to exercise the error messages.
      for (let i = 0; i < docs.length; i++) if (r() < 0.2) docs[i] = docs[i].slice(0, Math.floor(r() * docs[i].length));
      const script = `local out = {} for i, d in ipairs(ARGV) do local ok, v = pcall(cjson.decode, d) out[#out+1] = ok and cjson.encode(v) or ('error: ' .. v) end return out`;
      const [o, t] = await both(script, ...docs);
      expect(o).toBe(t);
    }
  });

  it('cmsgpack packs random values identically and unpacks them back', async () => {
    const r = rng(7);
    for (let round = 0; round < 30; round++) {
      const values = Array.from({ length: 10 }, () => randomValue(r, 0));
      values.push(...Array.from({ length: 10 }, () => luaNumber(randomDouble(r))));
      const script = `local out = {} for i, v in ipairs({${values.join(',')}}) do local p = cmsgpack.pack(v) out[#out+1] = p out[#out+1] = cmsgpack.pack(cmsgpack.unpack(p)) end return out`;
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });

  it('bit operations on random operands', async () => {
    const r = rng(8);
    for (let round = 0; round < 10; round++) {
      const xs = Array.from({ length: 50 }, () => luaNumber(r() < 0.5 ? Math.floor((r() - 0.5) * 2 ** 34) : randomDouble(r)));
      const script =
        `local t = {${xs.join(',')}} local out = {} for i = 1, #t - 1 do local x, y = t[i], t[i+1] ` +
        'out[#out+1] = {bit.tobit(x), bit.bnot(x), bit.band(x, y), bit.bor(x, y), bit.bxor(x, y), bit.lshift(x, y), bit.rshift(x, y), bit.arshift(x, y), bit.rol(x, y), bit.ror(x, y), bit.bswap(x), bit.tohex(x), bit.tohex(x, y % 17 - 8)} end return out';
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });

  it('struct pack/unpack of random values and formats', async () => {
    const r = rng(9);
    const fmts = ['b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I', 'i3', 'I5', 'f', 'd', '<i', '>I2', '!4', 'x', 'c4', 's'];
    for (let round = 0; round < 20; round++) {
      const cases: string[] = [];
      for (let i = 0; i < 20; i++) {
        const n = 1 + Math.floor(r() * 4);
        let fmt = r() < 0.5 ? '<' : '>';
        const vals: string[] = [];
        for (let k = 0; k < n; k++) {
          const f = fmts[Math.floor(r() * fmts.length)];
          fmt += f;
          if (f.endsWith('x') || f === '!4' || f === '<i' || f === '>I2') {
            if (f === '<i' || f === '>I2') vals.push(luaNumber(Math.floor((r() - 0.5) * 1e6)));
            continue;
          }
          if (f === 'c4' || f === 's') vals.push(luaString(randomString(r, 8).padEnd(4, 'z')));
          else vals.push(luaNumber(r() < 0.7 ? Math.floor((r() - 0.5) * 2 ** (8 * (1 + Math.floor(r() * 7)))) : randomDouble(r)));
        }
        cases.push(`{${luaString(fmt)}, {${vals.join(',')}}}`);
      }
      const script =
        `local out = {} for i, c in ipairs({${cases.join(',')}}) do local ok, p = pcall(struct.pack, c[1], unpack(c[2])) ` +
        "if ok then out[#out+1] = p local r = {pcall(struct.unpack, c[1], p)} for k = 2, #r do out[#out+1] = tostring(r[k]) end out[#out+1] = struct.size((c[1]:gsub('s', ''))) else out[#out+1] = 'error: ' .. p end end return out";
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });

  it('pairs order of tables built in random ways', async () => {
    const r = rng(10);
    for (let round = 0; round < 20; round++) {
      const ops: string[] = [];
      for (let i = 0; i < 60; i++) {
        const k = r();
        const key = k < 0.4 ? luaString('k' + Math.floor(r() * 40)) : k < 0.8 ? String(Math.floor(r() * 40) - 5) : luaNumber(Math.floor(r() * 100) / 4);
        ops.push(r() < 0.8 ? `t[${key}] = ${i}` : `t[${key}] = nil`);
      }
      const script = `local t = {} ${ops.join(' ')} local out = {} for k, v in pairs(t) do out[#out+1] = tostring(k) .. '=' .. tostring(v) end out[#out+1] = '#' .. #t return out`;
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });

  it('table.sort with random data and comparators', async () => {
    const r = rng(11);
    for (let round = 0; round < 10; round++) {
      const xs = Array.from({ length: 150 }, () => String(Math.floor(r() * 30)));
      const script =
        `local t = {${xs.join(',')}} local u = {} for i, v in ipairs(t) do u[i] = {v = v, i = i} end ` +
        'table.sort(t) table.sort(u, function(a, b) return a.v < b.v end) local out = {} ' +
        'for i = 1, #t do out[i] = t[i] .. ":" .. u[i].i end return out';
      const [o, t] = await both(script);
      expect(o).toBe(t);
    }
  });
});
